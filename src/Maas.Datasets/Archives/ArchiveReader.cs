using System.Formats.Tar;
using System.IO.Compression;
using System.Runtime.CompilerServices;
using Maas.Core.Errors;

namespace Maas.Datasets.Archives;

/// <summary>
/// Reads an archive as streams, never extracting it: one pass lists the entries (and hands the data of the few a
/// caller asks for, such as a manifest, while it is there), later passes hand over the data of chosen entries. A
/// zip is read from its central directory and opened entry by entry; a tar (plain or gzip) is read front to back,
/// once per pass. Links are listed as what they are and never followed.
/// </summary>
internal abstract class ArchiveReader : IDisposable
{
    protected ArchiveReader(string path) => Path = path;

    /// <summary>The archive file.</summary>
    public string Path { get; }

    /// <summary>Opens <paramref name="path"/> as a zip, or as a tar (gzip-compressed or plain).</summary>
    /// <exception cref="InvalidInputException">The file is not an archive of that kind.</exception>
    public static ArchiveReader Open(string path, bool zip) => zip ? new ZipReader(path) : new TarReaderOverFile(path);

    /// <summary>
    /// Lists every entry. <paramref name="read"/> is handed the data of each entry <paramref name="wants"/> picks, while
    /// the listing passes over it (the stream is good only during the call).
    /// </summary>
    /// <exception cref="InvalidInputException">The archive is corrupt.</exception>
    public abstract List<ArchiveEntry> List(Func<ArchiveEntry, bool> wants, Action<ArchiveEntry, Stream> read, CancellationToken cancellationToken);

    /// <summary>
    /// The data of the entries in <paramref name="wanted"/>: in that order for a zip, in archive order for a tar. Each
    /// stream is good until the next item is asked for; an entry that cannot be opened comes with an error instead.
    /// </summary>
    /// <exception cref="InvalidInputException">The archive is corrupt.</exception>
    public abstract IAsyncEnumerable<(ArchiveEntry Entry, Stream? Data, string? Error)> ReadAsync(
        IReadOnlyList<ArchiveEntry> wanted, CancellationToken cancellationToken);

    /// <inheritdoc />
    public abstract void Dispose();

    private sealed class ZipReader : ArchiveReader
    {
        // Unix file type bits in the high half of a zip entry's external attributes (Info-ZIP, and .NET on Unix).
        private const int TypeMask = 0xF000;
        private const int SymbolicLinkType = 0xA000;
        private const int DirectoryType = 0x4000;
        private const int RegularType = 0x8000;
        private readonly ZipArchive _archive;

        public ZipReader(string path)
            : base(path)
        {
            var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
            try
            {
                _archive = new ZipArchive(file, ZipArchiveMode.Read, leaveOpen: false);
            }
            catch (InvalidDataException e)
            {
                file.Dispose();
                throw new InvalidInputException($"{path}: not a readable zip archive ({e.Message})", e);
            }
        }

        public override List<ArchiveEntry> List(Func<ArchiveEntry, bool> wants, Action<ArchiveEntry, Stream> read, CancellationToken cancellationToken)
        {
            var entries = new List<ArchiveEntry>(_archive.Entries.Count);
            for (var i = 0; i < _archive.Entries.Count; i++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var entry = Describe(i, _archive.Entries[i]);
                entries.Add(entry);
                if (wants(entry))
                {
                    Stream data;
                    try
                    {
                        data = _archive.Entries[i].Open();
                    }
                    catch (Exception e) when (e is InvalidDataException or NotSupportedException)
                    {
                        // Left unread: the caller reports it if its layout needs this entry.
                        continue;
                    }

                    using (data)
                    {
                        read(entry, data);
                    }
                }
            }

            return entries;
        }

        public override async IAsyncEnumerable<(ArchiveEntry Entry, Stream? Data, string? Error)> ReadAsync(
            IReadOnlyList<ArchiveEntry> wanted, [EnumeratorCancellation] CancellationToken cancellationToken)
        {
            foreach (var entry in wanted)
            {
                cancellationToken.ThrowIfCancellationRequested();
                Stream? data = null;
                string? error = null;
                try
                {
                    data = _archive.Entries[entry.Index].Open();
                }
                catch (Exception e) when (e is InvalidDataException or NotSupportedException or IOException)
                {
                    error = $"cannot be read: {e.Message}";
                }

                if (data is null)
                {
                    yield return (entry, null, error);
                    continue;
                }

                await using (data)
                {
                    yield return (entry, data, null);
                }
            }
        }

        public override void Dispose() => _archive.Dispose();

        private static ArchiveEntry Describe(int index, ZipArchiveEntry entry)
        {
            var type = (entry.ExternalAttributes >> 16) & TypeMask;
            var directory = entry.FullName.EndsWith('/') || entry.FullName.EndsWith('\\') || type == DirectoryType;
            var (kind, name) = type switch
            {
                _ when directory => (ArchiveEntryKind.Directory, "directory"),
                SymbolicLinkType => (ArchiveEntryKind.SymbolicLink, "symbolic link"),
                0 or RegularType => (ArchiveEntryKind.File, "file"),
                _ => (ArchiveEntryKind.Other, $"Unix file type 0x{type:x4}"),
            };

            return new ArchiveEntry(index, entry.FullName, kind, entry.Length, null, entry.Crc32, name);
        }
    }

    private sealed class TarReaderOverFile(string path) : ArchiveReader(path)
    {
        public override List<ArchiveEntry> List(Func<ArchiveEntry, bool> wants, Action<ArchiveEntry, Stream> read, CancellationToken cancellationToken)
        {
            var entries = new List<ArchiveEntry>();
            using var stream = OpenTar();
            using var reader = new TarReader(stream);
            try
            {
                while (reader.GetNextEntry(copyData: false) is { } tarEntry)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    var entry = Describe(entries.Count, tarEntry);
                    entries.Add(entry);
                    if (wants(entry))
                    {
                        read(entry, tarEntry.DataStream ?? Stream.Null);
                    }
                }
            }
            catch (Exception e) when (e is InvalidDataException or FormatException or EndOfStreamException)
            {
                throw Corrupt(e);
            }

            return entries;
        }

        public override async IAsyncEnumerable<(ArchiveEntry Entry, Stream? Data, string? Error)> ReadAsync(
            IReadOnlyList<ArchiveEntry> wanted, [EnumeratorCancellation] CancellationToken cancellationToken)
        {
            var byIndex = wanted.ToDictionary(e => e.Index);
            if (byIndex.Count == 0)
            {
                yield break;
            }

            await using var stream = OpenTar();
            await using var reader = new TarReader(stream);
            var index = 0;
            while (byIndex.Count > 0)
            {
                TarEntry? tarEntry;
                try
                {
                    tarEntry = await reader.GetNextEntryAsync(copyData: false, cancellationToken);
                }
                catch (Exception e) when (e is InvalidDataException or FormatException or EndOfStreamException)
                {
                    throw Corrupt(e);
                }

                if (tarEntry is null)
                {
                    throw new InvalidInputException($"{Path}: the archive changed while it was read (it ended before entry {index}).");
                }

                if (byIndex.Remove(index++, out var entry))
                {
                    yield return (entry, tarEntry.DataStream ?? Stream.Null, null);
                }
            }
        }

        public override void Dispose()
        {
            // Each pass opens and closes its own stream.
        }

        private Stream OpenTar()
        {
            var file = new FileStream(Path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
            Span<byte> magic = stackalloc byte[2];
            var gzip = file.Read(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b;
            file.Position = 0;
            return gzip ? new BufferedStream(new GZipStream(file, CompressionMode.Decompress), 1 << 16) : file;
        }

        private InvalidInputException Corrupt(Exception e) => new($"{Path}: not a readable tar archive ({e.Message})", e);

        private static ArchiveEntry Describe(int index, TarEntry entry)
        {
            var kind = entry.EntryType switch
            {
                TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile => ArchiveEntryKind.File,
                TarEntryType.Directory => ArchiveEntryKind.Directory,
                TarEntryType.SymbolicLink => ArchiveEntryKind.SymbolicLink,
                TarEntryType.HardLink => ArchiveEntryKind.HardLink,
                TarEntryType.GlobalExtendedAttributes or TarEntryType.ExtendedAttributes => ArchiveEntryKind.Metadata,
                _ => ArchiveEntryKind.Other,
            };

            return new ArchiveEntry(index, entry.Name, kind, entry.Length, string.IsNullOrEmpty(entry.LinkName) ? null : entry.LinkName, null,
                entry.EntryType.ToString());
        }
    }
}
