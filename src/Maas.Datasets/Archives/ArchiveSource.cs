using System.Globalization;
using System.IO.Compression;
using System.Runtime.CompilerServices;
using Maas.Core.Datasets;
using Maas.Core.Errors;
using Maas.Datasets.Idx;
using Maas.Datasets.Manifests;
using Maas.Imaging;

namespace Maas.Datasets.Archives;

/// <summary>
/// A <c>.zip</c>, <c>.tar</c>, <c>.tar.gz</c> or <c>.tgz</c> archive holding any other layout — a class-per-folder
/// tree (with or without split folders), MNIST IDX files, or a CSV/JSON Lines manifest with its images — at its root
/// or under one top folder. The archive is read as a stream and never extracted: the layout is told from the entry
/// names (a zip's central directory; for a tar, a first pass over the headers, which also reads the manifest or IDX
/// labels), then a second pass reads the images. Entries whose names would land outside the target (<c>../</c>,
/// absolute paths, drive letters, <c>..\</c>) and link entries are refused, never followed. Each image is read into
/// memory by the producer, at most the import's size limit: an entry declaring more is refused unread, and one
/// inflating past what it declares is cut off and refused.
/// </summary>
public sealed class ArchiveSource : IImportSource
{
    private static readonly string[] s_manifestExtensions = [".csv", ".jsonl", ".ndjson"];
    private static readonly (Split Split, string[] Prefixes)[] s_idxParts = [(Split.Train, ["train"]), (Split.Test, ["t10k", "test"])];

    private readonly string _path;
    private readonly bool _zip;
    private readonly long _limit;
    private readonly List<ImportCandidate> _upfront;
    private readonly List<Planned> _planned;
    private readonly List<IdxPart> _idxParts;
    private readonly IReadOnlyList<string>? _classNames;
    private readonly IReadOnlyList<string>? _previousClasses;

    private ArchiveSource(string path, bool zip, long limit, string layout, List<ImportCandidate> upfront, List<Planned> planned,
        List<IdxPart> idxParts, ImportOptions options, IReadOnlyList<string>? previousClasses)
    {
        _path = path;
        _zip = zip;
        _limit = limit;
        Layout = layout;
        _upfront = upfront;
        _planned = planned;
        _idxParts = idxParts;
        _classNames = options.ClassNames;
        _previousClasses = previousClasses;
        Count = upfront.Count + planned.Count + idxParts.Sum(p => p.Count);
    }

    /// <summary><c>zip</c> or <c>tar</c> (plain or gzip).</summary>
    public string Kind => _zip ? "zip" : "tar";

    /// <summary>The layout inside the archive: <c>folder</c>, <c>idx</c>, <c>csv</c> or <c>jsonl</c>.</summary>
    public string Layout { get; }

    /// <inheritdoc />
    public IReadOnlyList<string>? ClassOrder { get; private set; }

    /// <inheritdoc />
    public int? Count { get; }

    /// <summary>
    /// <see cref="ImportFormat.Zip"/> if <paramref name="path"/> starts with a zip's local header signature
    /// (<c>PK\x03\x04</c>), <see cref="ImportFormat.Tar"/> if it holds a tar (<c>ustar</c> at offset 257), plain or
    /// inside gzip, else null.
    /// </summary>
    public static ImportFormat? Detect(string path)
    {
        using var file = File.OpenRead(path);
        var head = new byte[512];
        var length = file.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        if (length >= 4 && head.AsSpan(0, 4).SequenceEqual("PK\x03\x04"u8))
        {
            return ImportFormat.Zip;
        }

        if (length >= 2 && head[0] == 0x1f && head[1] == 0x8b)
        {
            file.Position = 0;
            try
            {
                using var gzip = new GZipStream(file, CompressionMode.Decompress, leaveOpen: true);
                length = gzip.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
            }
            catch (InvalidDataException)
            {
                return null;
            }
        }

        return length >= 262 && head.AsSpan(257, 5).SequenceEqual("ustar"u8) ? ImportFormat.Tar : null;
    }

    /// <summary>Lists the archive at <paramref name="path"/> and works out its layout.</summary>
    /// <param name="path">The archive file.</param>
    /// <param name="format"><see cref="ImportFormat.Zip"/> or <see cref="ImportFormat.Tar"/>; anything else detects it.</param>
    /// <param name="options">Class names (for IDX) and the size limit.</param>
    /// <param name="previousClasses">The dataset's current class list (IDX labels keep its names).</param>
    /// <exception cref="NotFoundException">No such file.</exception>
    /// <exception cref="InvalidInputException">Not an archive of that kind, corrupt, or holding no known layout.</exception>
    public static ArchiveSource Open(string path, ImportFormat format, ImportOptions options, IReadOnlyList<string>? previousClasses)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(options);
        if (!File.Exists(path))
        {
            throw new NotFoundException($"{path}: no such file.");
        }

        var detected = Detect(path);
        if (format is not (ImportFormat.Zip or ImportFormat.Tar))
        {
            format = detected ?? throw new InvalidInputException($"{path}: not a zip or tar archive (neither signature is there).");
        }
        else if (detected is { } actual && actual != format)
        {
            throw new InvalidInputException(
                $"{path}: --format {format.ToString().ToLowerInvariant()} was given, but the file is a {actual.ToString().ToLowerInvariant()} archive.");
        }

        var zip = format == ImportFormat.Zip;
        var limit = (options.Limits ?? DecodeLimits.Default).MaxBytes;
        var captured = new Captured();
        List<ArchiveEntry> entries;
        using (var reader = ArchiveReader.Open(path, zip))
        {
            entries = reader.List(Wants, (e, data) => captured.Read(e, data, limit), CancellationToken.None);
        }

        return Plan(path, zip, limit, entries, captured, options, previousClasses);
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<ImportCandidate> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        foreach (var candidate in _upfront)
        {
            yield return candidate;
        }

        if (_idxParts.Count > 0)
        {
            await foreach (var candidate in ReadIdxAsync(cancellationToken))
            {
                yield return candidate;
            }

            yield break;
        }

        // A zip is read in plan order (by name, or manifest order); a tar in archive order, the only cheap one.
        var plan = _planned.ToDictionary(p => p.Entry.Index);
        using var reader = ArchiveReader.Open(_path, _zip);
        await foreach (var (entry, data, error) in reader.ReadAsync(_planned.Select(p => p.Entry).ToArray(), cancellationToken))
        {
            var item = plan[entry.Index];
            var (bytes, problem) = data is null ? ((byte[]?)null, error) : await ReadEntryAsync(data, entry, _limit, cancellationToken);
            yield return bytes is null
                ? ImportCandidate.Refused(item.OriginalPath, problem!)
                : new ImportCandidate(item.SampleId, item.OriginalPath, item.ClassName, item.Split, _ => ValueTask.FromResult(bytes), bytes.Length);
        }
    }

    private async IAsyncEnumerable<ImportCandidate> ReadIdxAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // Labels are small (one byte per image) and were read while listing: fix the class list before the first image.
        var labels = new Dictionary<int, byte[]>();
        foreach (var part in _idxParts)
        {
            using var stream = IdxStream.Open(new MemoryStream(part.Labels), part.LabelsName, leaveOpen: false);
            labels[part.ImagesEntry.Index] = await stream.ReadAllAsync(cancellationToken);
        }

        var classCount = labels.Values.SelectMany(l => l).DefaultIfEmpty().Max() + 1;
        var names = IdxSource.ClassList(classCount, _classNames, _previousClasses);
        ClassOrder = names;
        var parts = _idxParts.ToDictionary(p => p.ImagesEntry.Index);
        using var reader = ArchiveReader.Open(_path, _zip);
        await foreach (var (entry, data, error) in reader.ReadAsync(_idxParts.Select(p => p.ImagesEntry).ToArray(), cancellationToken))
        {
            if (data is null)
            {
                throw new InvalidInputException($"{_path}: {entry.RawName} {error}.");
            }

            var part = parts[entry.Index];
            using var images = IdxStream.Open(data, $"{_path}:{entry.Name}", leaveOpen: true);
            if (images.Dimensions.Count != 3 || images.Dimensions[0] != part.Count)
            {
                throw new InvalidInputException($"{_path}: {entry.Name} changed since it was listed.");
            }

            var (rows, cols) = (images.Dimensions[1], images.Dimensions[2]);
            var splitName = part.Split.ToName();
            var partLabels = labels[entry.Index];
            for (var i = 0; i < part.Count; i++)
            {
                var pixels = new byte[rows * cols];
                await images.ReadRecordAsync(pixels, cancellationToken);
                var id = $"{splitName}/{i.ToString("D5", CultureInfo.InvariantCulture)}";
                yield return new ImportCandidate(id, $"{entry.Name}#{i.ToString(CultureInfo.InvariantCulture)}", names[partLabels[i]], part.Split,
                    _ => ValueTask.FromResult(ImageEncoder.EncodePng(pixels, cols, rows, 1)));
            }
        }
    }

    /// <summary>
    /// Reads one entry into memory, never more than <paramref name="limit"/> bytes whatever its header says, and
    /// checks a zip entry's CRC-32.
    /// </summary>
    internal static async Task<(byte[]? Bytes, string? Error)> ReadEntryAsync(Stream data, ArchiveEntry entry, long limit, CancellationToken cancellationToken)
    {
        try
        {
            var bytes = new byte[entry.Length];
            var read = await data.ReadAtLeastAsync(bytes, bytes.Length, throwOnEndOfStream: false, cancellationToken);
            if (read < bytes.Length)
            {
                return (null, $"the data ends after {read} of the {entry.Length} bytes its header declares");
            }

            // More data than declared: keep reading only up to the limit, so a lying header cannot exhaust memory.
            var probe = new byte[1];
            if (await data.ReadAsync(probe, cancellationToken) == 1)
            {
                using var grown = new MemoryStream();
                grown.Write(bytes);
                grown.Write(probe);
                var chunk = new byte[1 << 16];
                int n;
                while (grown.Length <= limit && (n = await data.ReadAsync(chunk, cancellationToken)) > 0)
                {
                    grown.Write(chunk, 0, n);
                }

                if (grown.Length > limit)
                {
                    return (null, $"inflates past the limit of {limit} bytes although its header declares {entry.Length} bytes; reading stopped there");
                }

                bytes = grown.ToArray();
            }

            if (entry.Crc32 is { } declared && System.IO.Hashing.Crc32.HashToUInt32(bytes) != declared)
            {
                return (null, $"its data does not match the CRC-32 in the archive (damaged, or its declared size of {entry.Length} bytes is false)");
            }

            return (bytes, null);
        }
        catch (InvalidDataException e)
        {
            return (null, $"its data is corrupt ({e.Message})");
        }
    }

    /// <summary>Whether the listing should hand over an entry's data: a manifest or IDX file near the top.</summary>
    private static bool Wants(ArchiveEntry entry) =>
        entry.Kind == ArchiveEntryKind.File && entry.Name is { } name && !IsHidden(name) && name.Count(c => c == '/') <= 1
        && (IsManifestName(name) || IdxFile(FileName(name)) is not null);

    private static ArchiveSource Plan(string path, bool zip, long limit, List<ArchiveEntry> entries, Captured captured, ImportOptions options,
        IReadOnlyList<string>? previousClasses)
    {
        var upfront = new List<ImportCandidate>();
        var files = new Dictionary<string, ArchiveEntry>(StringComparer.Ordinal);
        var links = new Dictionary<string, ArchiveEntry>(StringComparer.Ordinal);
        foreach (var entry in entries)
        {
            if (entry.Kind is ArchiveEntryKind.Directory or ArchiveEntryKind.Metadata)
            {
                continue;
            }

            if (entry.Name is not { } name)
            {
                upfront.Add(ImportCandidate.Refused(entry.RawName, $"unsafe entry name ({entry.NameProblem}): it would land outside the target folder"));
            }
            else if (entry.Kind is ArchiveEntryKind.SymbolicLink or ArchiveEntryKind.HardLink)
            {
                var what = entry.Kind == ArchiveEntryKind.SymbolicLink ? "a symbolic link" : "a hard link";
                var target = entry.LinkTarget is null ? "" : $" to '{entry.LinkTarget}'";
                upfront.Add(ImportCandidate.Refused(entry.RawName, $"{what} entry{target}: links in archives are refused, never followed"));
                links.TryAdd(name, entry);
            }
            else if (entry.Kind == ArchiveEntryKind.Other)
            {
                upfront.Add(ImportCandidate.Refused(entry.RawName, $"not a regular file (a {entry.TypeName} entry)"));
            }
            else if (!files.TryAdd(name, entry))
            {
                var why = name.Contains('\uFFFD', StringComparison.Ordinal) ? " (its name is not valid UTF-8 and reads the same once decoded)" : "";
                upfront.Add(ImportCandidate.Refused(entry.RawName, $"a second entry named '{name}'{why}: the first one is kept"));
            }
        }

        var visible = files.Values.Where(e => !IsHidden(e.Name!)).OrderBy(e => e.Index).ToList();
        var (root, layout, manifest) = DetectLayout(path, visible);
        var planned = new List<Planned>();
        var idxParts = new List<IdxPart>();
        string layoutName;
        switch (layout)
        {
            case InnerLayout.Idx:
                layoutName = "idx";
                idxParts = PlanIdx(path, root, files, captured);
                break;
            case InnerLayout.Manifest:
                layoutName = ManifestReader.FormatOf(manifest!.Name!) == ImportFormat.Jsonl ? "jsonl" : "csv";
                PlanManifest(path, root, manifest, files, links, captured, limit, upfront, planned);
                break;
            default:
                layoutName = "folder";
                PlanFolder(root, visible, limit, upfront, planned);
                break;
        }

        if (planned.Count == 0 && idxParts.Count == 0 && upfront.Count == 0)
        {
            throw new InvalidInputException($"{path}: the archive holds no images.");
        }

        return new ArchiveSource(path, zip, limit, layoutName, upfront, planned, idxParts, options, previousClasses);
    }

    /// <summary>
    /// The layout at the archive's root, or under one top folder holding everything: IDX files, a single manifest,
    /// or files in folders (a class-per-folder tree).
    /// </summary>
    private static (string Root, InnerLayout Layout, ArchiveEntry? Manifest) DetectLayout(string path, List<ArchiveEntry> files)
    {
        var tops = files.Select(f => f.Name!.Split('/')[0]).Distinct(StringComparer.Ordinal).Take(2).ToArray();
        if (tops.Length == 1 && files.All(f => f.Name!.Contains('/', StringComparison.Ordinal)) && LayoutAt(path, files, tops[0] + "/") is { } inner)
        {
            return (tops[0] + "/", inner.Layout, inner.Manifest);
        }

        if (LayoutAt(path, files, "") is { } outer)
        {
            return ("", outer.Layout, outer.Manifest);
        }

        // Nothing usable (perhaps only refused entries): a folder layout with no files reports them.
        return ("", InnerLayout.Folder, null);
    }

    private static (InnerLayout Layout, ArchiveEntry? Manifest)? LayoutAt(string path, List<ArchiveEntry> files, string prefix)
    {
        var under = files.Where(f => f.Name!.StartsWith(prefix, StringComparison.Ordinal)).ToList();
        var direct = under.Where(f => !f.Name![prefix.Length..].Contains('/', StringComparison.Ordinal)).ToList();
        if (direct.Any(f => IdxFile(FileName(f.Name!)) is { Images: true }))
        {
            return (InnerLayout.Idx, null);
        }

        var manifests = direct.Where(f => IsManifestName(f.Name!)).ToList();
        if (manifests.Count > 1)
        {
            throw new InvalidInputException(
                $"{path}: the archive holds {manifests.Count} manifests ({string.Join(", ", manifests.Select(m => m.Name))}); keep one.");
        }

        if (manifests.Count == 1)
        {
            return (InnerLayout.Manifest, manifests[0]);
        }

        return under.Count > direct.Count ? (InnerLayout.Folder, null) : null;
    }

    /// <summary>A class-per-folder tree under <paramref name="root"/>, as <see cref="Folders.FolderSource"/> reads one on disk.</summary>
    private static void PlanFolder(string root, List<ArchiveEntry> files, long limit, List<ImportCandidate> upfront, List<Planned> planned)
    {
        var relative = files.Select(f => (Entry: f, Segments: f.Name![root.Length..].Split('/'))).ToList();
        var topFolders = relative.Where(r => r.Segments.Length >= 2).Select(r => r.Segments[0]).Distinct(StringComparer.Ordinal).ToList();
        var hasSplits = topFolders.Count > 0 && topFolders.All(f => SplitNames.TryParse(f, out _));
        var chosen = new List<Planned>();
        foreach (var (entry, segments) in relative)
        {
            var depth = hasSplits ? 3 : 2;
            if (segments.Length < depth)
            {
                upfront.Add(ImportCandidate.Refused(entry.Name!, "not inside a class folder"));
                continue;
            }

            Split? split = null;
            if (hasSplits)
            {
                SplitNames.TryParse(segments[0], out var parsed);
                split = parsed;
            }

            var item = new Planned(entry, entry.Name![root.Length..], entry.Name!, segments[hasSplits ? 1 : 0], split);
            AddOrRefuseOversize(item, limit, upfront, chosen);
        }

        // Ordinal path order, as the folder source lists files, so a zip of a tree imports like the tree.
        planned.AddRange(chosen.OrderBy(p => p.SampleId, StringComparer.Ordinal));
    }

    private static void PlanManifest(string path, string root, ArchiveEntry manifest, Dictionary<string, ArchiveEntry> files,
        Dictionary<string, ArchiveEntry> links, Captured captured, long limit, List<ImportCandidate> upfront, List<Planned> planned)
    {
        if (!captured.Manifests.TryGetValue(manifest.Index, out var rows))
        {
            throw new InvalidInputException($"{path}: the manifest {manifest.Name} cannot be read ({captured.Errors.GetValueOrDefault(manifest.Index, "its data cannot be opened")}).");
        }

        var name = manifest.Name!;
        foreach (var row in rows)
        {
            if (!row.IsUsable)
            {
                upfront.Add(ManifestSource.Refusal(row, name));
                continue;
            }

            var entryName = root + row.Path;
            if (files.TryGetValue(entryName, out var entry))
            {
                AddOrRefuseOversize(new Planned(entry, row.Path!, entryName, row.Label, row.Split), limit, upfront, planned);
            }
            else if (links.ContainsKey(entryName))
            {
                upfront.Add(ImportCandidate.Refused($"{name}:{row.Line}", $"{row.Path} is a link entry in the archive, and links are never followed"));
            }
            else
            {
                upfront.Add(ImportCandidate.Refused(row.Path!, $"no such file in the archive ({name}:{row.Line})"));
            }
        }
    }

    private static List<IdxPart> PlanIdx(string path, string root, Dictionary<string, ArchiveEntry> files, Captured captured)
    {
        var parts = new List<IdxPart>();
        foreach (var (split, prefixes) in s_idxParts)
        {
            var images = Find(prefixes, "images-idx3-ubyte");
            if (images is null)
            {
                continue;
            }

            var labels = Find(prefixes, "labels-idx1-ubyte")
                ?? throw new InvalidInputException($"{path}: {images.Name} has no matching {prefixes[0]}-labels-idx1-ubyte file.");
            var imageDims = Dimensions(images);
            var labelDims = Dimensions(labels);
            if (imageDims.Count != 3)
            {
                throw new InvalidInputException($"{path}: {images.Name}: expected 3 dimensions (count, rows, columns), found {imageDims.Count}.");
            }

            if (labelDims.Count != 1 || labelDims[0] != imageDims[0])
            {
                throw new InvalidInputException($"{path}: {labels.Name}: {string.Join('x', labelDims)} labels for {imageDims[0]} images.");
            }

            parts.Add(new IdxPart(split, images, labels.Name!, captured.Labels[labels.Index], imageDims[0]));
        }

        return parts;

        ArchiveEntry? Find(string[] prefixes, string suffix) =>
            prefixes.SelectMany(p => new[] { $"{root}{p}-{suffix}", $"{root}{p}-{suffix}.gz" })
                .Select(n => files.GetValueOrDefault(n))
                .FirstOrDefault(e => e is not null);

        IReadOnlyList<int> Dimensions(ArchiveEntry entry) =>
            captured.Dimensions.TryGetValue(entry.Index, out var dims)
                ? dims
                : throw new InvalidInputException($"{path}: {entry.Name}: {captured.Errors.GetValueOrDefault(entry.Index, "its data cannot be opened")}");
    }

    private static void AddOrRefuseOversize(Planned item, long limit, List<ImportCandidate> upfront, List<Planned> planned)
    {
        if (item.Entry.Length > limit)
        {
            // Left to the importer, which refuses it by its size before loading: its data is never read.
            upfront.Add(new ImportCandidate(item.SampleId, item.OriginalPath, item.ClassName, item.Split,
                _ => throw new InvalidOperationException("An entry over the size limit is never loaded."), item.Entry.Length));
            return;
        }

        planned.Add(item);
    }

    private static bool IsHidden(string name) => name.Split('/').Any(s => s.StartsWith('.') || s == "__MACOSX");

    private static bool IsManifestName(string name) => s_manifestExtensions.Contains(Path.GetExtension(name).ToLowerInvariant(), StringComparer.Ordinal);

    private static string FileName(string name) => name[(name.LastIndexOf('/') + 1)..];

    /// <summary>Whether <paramref name="fileName"/> is an IDX file name (<c>train-images-idx3-ubyte[.gz]</c>, <c>t10k-labels-idx1-ubyte</c>, ...).</summary>
    private static (bool Images, Split Split)? IdxFile(string fileName)
    {
        foreach (var (split, prefixes) in s_idxParts)
        {
            foreach (var prefix in prefixes)
            {
                foreach (var (suffix, images) in new[] { ("images-idx3-ubyte", true), ("labels-idx1-ubyte", false) })
                {
                    var name = $"{prefix}-{suffix}";
                    if (fileName == name || fileName == name + ".gz")
                    {
                        return (images, split);
                    }
                }
            }
        }

        return null;
    }

    private enum InnerLayout
    {
        Folder,
        Idx,
        Manifest,
    }

    /// <summary>An entry to read in the second pass, and what it becomes.</summary>
    private sealed record Planned(ArchiveEntry Entry, string SampleId, string OriginalPath, string ClassName, Split? Split);

    /// <summary>One split of an IDX dataset: its image entry, and its labels (read while listing).</summary>
    private sealed record IdxPart(Split Split, ArchiveEntry ImagesEntry, string LabelsName, byte[] Labels, int Count);

    /// <summary>What the listing pass read: manifest rows, IDX label bytes and IDX headers, by entry index.</summary>
    private sealed class Captured
    {
        public Dictionary<int, List<ManifestRow>> Manifests { get; } = [];

        public Dictionary<int, byte[]> Labels { get; } = [];

        public Dictionary<int, IReadOnlyList<int>> Dimensions { get; } = [];

        public Dictionary<int, string> Errors { get; } = [];

        public void Read(ArchiveEntry entry, Stream data, long limit)
        {
            var name = entry.Name!;
            try
            {
                if (IsManifestName(name))
                {
                    Manifests[entry.Index] = ManifestReader.Read(data, ManifestReader.FormatOf(name)!.Value, CancellationToken.None);
                }
                else if (IdxFile(FileName(name)) is { Images: true })
                {
                    // Only the header: the images are streamed in the second pass.
                    using var idx = IdxStream.Open(data, name, leaveOpen: true);
                    Dimensions[entry.Index] = idx.Dimensions;
                }
                else if (entry.Length > limit)
                {
                    Errors[entry.Index] = $"a labels file of {entry.Length} bytes is over the limit of {limit} bytes";
                }
                else
                {
                    var bytes = new byte[entry.Length];
                    data.ReadExactly(bytes);
                    using var idx = IdxStream.Open(new MemoryStream(bytes), name, leaveOpen: false);
                    Dimensions[entry.Index] = idx.Dimensions;
                    Labels[entry.Index] = bytes;
                }
            }
            catch (Exception e) when (e is InvalidInputException or InvalidDataException or EndOfStreamException or IOException)
            {
                Errors[entry.Index] = e.Message;
            }
        }
    }
}
