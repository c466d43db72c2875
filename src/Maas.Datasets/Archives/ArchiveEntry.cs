namespace Maas.Datasets.Archives;

/// <summary>What an archive entry is. Only files are ever read.</summary>
internal enum ArchiveEntryKind
{
    /// <summary>A regular file.</summary>
    File,

    /// <summary>A folder.</summary>
    Directory,

    /// <summary>A symbolic link (tar, or a zip entry with a Unix link mode).</summary>
    SymbolicLink,

    /// <summary>A tar hard link.</summary>
    HardLink,

    /// <summary>Archive metadata (a pax global header), not part of the tree.</summary>
    Metadata,

    /// <summary>A device, a FIFO, a sparse file or another kind a dataset has no use for.</summary>
    Other,
}

/// <summary>One entry of an archive as listed from its headers (tar) or central directory (zip).</summary>
/// <param name="Index">Its position among the archive's entries; the same in every pass over the archive.</param>
/// <param name="RawName">The name exactly as stored.</param>
/// <param name="Kind">What it is.</param>
/// <param name="Length">The size its header declares. A tar header's size is how many bytes the entry spans; a zip's is a claim that is checked while reading.</param>
/// <param name="LinkTarget">Where a link points, as stored.</param>
/// <param name="Crc32">The CRC-32 a zip entry declares, or null (tar keeps none).</param>
/// <param name="TypeName">The archive's own name for the entry type, for messages.</param>
internal sealed record ArchiveEntry(int Index, string RawName, ArchiveEntryKind Kind, long Length, string? LinkTarget, uint? Crc32, string TypeName)
{
    /// <summary>The name normalized to <c>a/b/c</c>, or null when it would land outside the archive's root.</summary>
    public string? Name { get; } = RelativePath.TryNormalize(RawName, out var name, out _) ? name : null;

    /// <summary>Why <see cref="Name"/> is null.</summary>
    public string? NameProblem { get; } = RelativePath.TryNormalize(RawName, out _, out var reason) ? null : reason;
}
