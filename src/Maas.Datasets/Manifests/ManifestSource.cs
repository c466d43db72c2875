using System.Runtime.CompilerServices;
using Maas.Core.Errors;

namespace Maas.Datasets.Manifests;

/// <summary>
/// A manifest file that lists images and their labels: CSV rows <c>path,label[,split]</c> (an optional header row
/// names the columns, RFC 4180 quoting) or JSON Lines objects with <c>path</c>, <c>label</c> and optional
/// <c>split</c>, in UTF-8. Paths are relative to the manifest's folder and must stay inside it: absolute paths,
/// paths that climb out with <c>..</c> and symbolic links that lead out are refused row by row, as are rows with a
/// missing column, an empty label, an unknown split or bad JSON, and later rows repeating an earlier row's path. A
/// row whose file does not exist is refused too; none of these stops the import. Sample ids are the normalized paths.
/// </summary>
public sealed class ManifestSource : IImportSource
{
    private static readonly string[] s_extensions = [".csv", ".jsonl", ".ndjson"];
    private readonly string _folder;
    private readonly string _name;
    private readonly List<ManifestRow> _rows;
    private readonly Dictionary<string, string?> _realFolders = new(StringComparer.Ordinal);

    private ManifestSource(string folder, string name, ImportFormat format, List<ManifestRow> rows)
    {
        _folder = folder;
        _name = name;
        _rows = rows;
        Kind = format == ImportFormat.Jsonl ? "jsonl" : "csv";
    }

    /// <inheritdoc />
    public string Kind { get; }

    /// <inheritdoc />
    public IReadOnlyList<string>? ClassOrder => null;

    /// <summary>The number of data rows (a header row and blank lines are not counted).</summary>
    public int? Count => _rows.Count;

    /// <summary>The manifest files (<c>*.csv</c>, <c>*.jsonl</c>, <c>*.ndjson</c>) at the top of <paramref name="folder"/>, by name.</summary>
    /// <param name="folder">The folder.</param>
    /// <param name="format"><see cref="ImportFormat.Csv"/> or <see cref="ImportFormat.Jsonl"/> for one kind only, else any.</param>
    public static IReadOnlyList<string> FindManifests(string folder, ImportFormat format = ImportFormat.Auto) =>
        Directory.GetFiles(folder)
            .Where(f => s_extensions.Contains(Path.GetExtension(f).ToLowerInvariant(), StringComparer.Ordinal)
                && !Path.GetFileName(f).StartsWith('.')
                && (format is not (ImportFormat.Csv or ImportFormat.Jsonl) || ManifestReader.FormatOf(f) == format))
            .Order(StringComparer.Ordinal)
            .ToArray();

    /// <summary>Reads the rows of the manifest at <paramref name="path"/>.</summary>
    /// <param name="path">The manifest file.</param>
    /// <param name="format"><see cref="ImportFormat.Csv"/> or <see cref="ImportFormat.Jsonl"/>; anything else goes by the extension (<c>.jsonl</c> and <c>.ndjson</c> are JSON Lines, others CSV).</param>
    /// <exception cref="NotFoundException">No such file.</exception>
    /// <exception cref="InvalidInputException">The manifest has no data rows.</exception>
    public static ManifestSource Open(string path, ImportFormat format = ImportFormat.Auto)
    {
        ArgumentNullException.ThrowIfNull(path);
        var full = Path.GetFullPath(path);
        if (!File.Exists(full))
        {
            throw new NotFoundException($"{path}: no such file.");
        }

        if (format is not (ImportFormat.Csv or ImportFormat.Jsonl))
        {
            format = ManifestReader.FormatOf(full) ?? ImportFormat.Csv;
        }

        List<ManifestRow> rows;
        using (var stream = new FileStream(full, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan))
        {
            rows = ManifestReader.Read(stream, format, CancellationToken.None);
        }

        return rows.Count == 0
            ? throw new InvalidInputException($"{path}: the manifest has no data rows (expected path,label[,split] per line, or JSON objects with \"path\" and \"label\").")
            : new ManifestSource(Path.GetDirectoryName(full)!, Path.GetFileName(full), format, rows);
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<ImportCandidate> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        foreach (var row in _rows)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (!row.IsUsable)
            {
                yield return Refusal(row, _name);
                continue;
            }

            var path = row.Path!;
            var full = Path.Combine(_folder, path.Replace('/', Path.DirectorySeparatorChar));
            var file = new FileInfo(full);
            if (!file.Exists)
            {
                yield return ImportCandidate.Refused(path, Directory.Exists(full)
                    ? $"a folder, not a file ({_name}:{row.Line})"
                    : $"no such file ({_name}:{row.Line})");
                continue;
            }

            if (LeadsOutside(path, file, out var real))
            {
                yield return ImportCandidate.Refused(path, $"a symbolic link that leads outside the manifest's folder ({_name}:{row.Line})");
                continue;
            }

            yield return new ImportCandidate(path, path, row.Label, row.Split,
                ct => new ValueTask<byte[]>(File.ReadAllBytesAsync(real, ct)), new FileInfo(real).Length);
        }

        await Task.CompletedTask;
    }

    /// <summary>The candidate refusing <paramref name="row"/>: named by its path when usable, else by <c>manifest:line</c>.</summary>
    internal static ImportCandidate Refusal(ManifestRow row, string manifestName) =>
        row.Path is not null
            ? ImportCandidate.Refused(row.Path, $"{manifestName}:{row.Line}: {row.Error}")
            : ImportCandidate.Refused($"{manifestName}:{row.Line}", row.Error ?? "refused");

    /// <summary>
    /// Whether a symbolic link on the way to <paramref name="file"/> (a folder on its path, or the file itself) leads
    /// outside the manifest's folder; <paramref name="real"/> is where the file really is. Folder answers are cached.
    /// </summary>
    private bool LeadsOutside(string relative, FileInfo file, out string real)
    {
        real = file.FullName;
        var slash = relative.LastIndexOf('/');
        if (slash >= 0)
        {
            var folder = RealFolder(relative[..slash]);
            if (folder is null)
            {
                return true;
            }

            real = Path.Combine(folder, file.Name);
        }

        var info = new FileInfo(real);
        if (info.LinkTarget is null)
        {
            return false;
        }

        var target = info.ResolveLinkTarget(returnFinalTarget: true);
        if (target is null || !target.Exists || !IsInside(target.FullName))
        {
            return true;
        }

        real = target.FullName;
        return false;
    }

    /// <summary>The real location of the folder <paramref name="relative"/>, or null if a link takes it outside.</summary>
    private string? RealFolder(string relative)
    {
        if (_realFolders.TryGetValue(relative, out var known))
        {
            return known;
        }

        var slash = relative.LastIndexOf('/');
        var parent = slash < 0 ? _folder : RealFolder(relative[..slash]);
        string? real = null;
        if (parent is not null)
        {
            var candidate = Path.Combine(parent, slash < 0 ? relative : relative[(slash + 1)..]);
            var info = new DirectoryInfo(candidate);
            if (info.LinkTarget is null)
            {
                real = candidate;
            }
            else if (info.ResolveLinkTarget(returnFinalTarget: true) is { Exists: true } target && IsInside(target.FullName))
            {
                real = target.FullName;
            }
        }

        _realFolders[relative] = real;
        return real;
    }

    private bool IsInside(string path) => path.StartsWith(_folder + Path.DirectorySeparatorChar, StringComparison.Ordinal);
}
