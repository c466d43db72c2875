using System.Runtime.CompilerServices;
using System.Text.Json;
using Maas.Core.Datasets;
using Maas.Core.Errors;

namespace Maas.Datasets.Folders;

/// <summary>
/// A class-per-folder tree: <c>root/&lt;class&gt;/*</c>, or <c>root/&lt;split&gt;/&lt;class&gt;/*</c> with split
/// folders named <c>train</c>, <c>val</c>|<c>validation</c>, <c>test</c>. Class names are the folder names. Class
/// folders are read in ordinal name order and the files of each in ordinal path order, so the same tree always gives
/// the same manifest; only one class folder's listing is held at a time, so memory does not grow with the tree.
/// Symbolic links that lead out of the tree are refused. A <c>classes.json</c> at the root (as
/// <c>maas dataset export</c> writes) maps folder names back to class names, in class order, so names such as
/// <c>T-shirt/top</c> survive a round trip.
/// </summary>
public sealed class FolderSource : IImportSource
{
    private readonly string _root;
    private readonly List<(string Folder, string Class, Split? Split)> _classFolders;
    private readonly List<ImportCandidate> _refused;
    private readonly Dictionary<string, string>? _classNames;

    private FolderSource(string root, List<(string, string, Split?)> classFolders, List<ImportCandidate> refused, Dictionary<string, string>? classNames,
        int count)
    {
        _root = root;
        _classFolders = classFolders;
        _refused = refused;
        _classNames = classNames;
        ClassOrder = classNames?.Values.ToList();
        Count = count;
    }

    /// <inheritdoc />
    public string Kind => "folder";

    /// <inheritdoc />
    public IReadOnlyList<string>? ClassOrder { get; }

    /// <inheritdoc />
    public int? Count { get; }

    /// <summary>Finds the class folders and counts their files.</summary>
    /// <exception cref="InvalidInputException">The tree holds no class folder with files.</exception>
    public static FolderSource Open(string root)
    {
        root = Path.GetFullPath(root);
        var topFolders = Directory.GetDirectories(root).Select(d => Path.GetFileName(d)!).Order(StringComparer.Ordinal).ToArray();
        var hasSplits = topFolders.Length > 0 && topFolders.All(f => SplitNames.TryParse(f, out _));
        var refused = new List<ImportCandidate>();
        var classFolders = new List<(string, string, Split?)>();
        if (hasSplits)
        {
            foreach (var splitFolder in topFolders)
            {
                SplitNames.TryParse(splitFolder, out var split);
                foreach (var classFolder in Directory.GetDirectories(Path.Combine(root, splitFolder)).Order(StringComparer.Ordinal))
                {
                    classFolders.Add((classFolder, Path.GetFileName(classFolder)!, split));
                }

                RefuseStrays(root, Path.Combine(root, splitFolder), refused);
            }
        }
        else
        {
            classFolders.AddRange(topFolders.Select(f => (Path.Combine(root, f), f, (Split?)null)));
        }

        RefuseStrays(root, root, refused);
        // Counted, not kept: the count feeds the progress bar's total and ETA.
        var files = classFolders.Sum(f => CountEntries(f.Item1));
        if (files == 0 && refused.Count == 0)
        {
            throw new InvalidInputException($"{root}: no class folders with files (expected root/<class>/* or root/<split>/<class>/*).");
        }

        return new FolderSource(root, classFolders, refused, ReadClassNames(root), files + refused.Count);
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<ImportCandidate> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        foreach (var refused in _refused)
        {
            yield return refused;
        }

        foreach (var (folder, folderName, split) in _classFolders)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var className = _classNames is not null && _classNames.TryGetValue(folderName, out var named) ? named : folderName;
            var entries = new List<ImportCandidate>();
            AddFiles(_root, folder, className, split, entries);
            entries.Sort((a, b) => string.CompareOrdinal(a.OriginalPath, b.OriginalPath));
            foreach (var entry in entries)
            {
                yield return entry;
            }
        }

        await Task.CompletedTask;
    }

    private static int CountEntries(string folder)
    {
        var options = new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0, IgnoreInaccessible = true };
        return new DirectoryInfo(folder).EnumerateFileSystemInfos("*", options)
            .Count(e => !e.Name.StartsWith('.') && (e is not DirectoryInfo || e.Attributes.HasFlag(FileAttributes.ReparsePoint)));
    }

    private static Dictionary<string, string>? ReadClassNames(string root)
    {
        var path = Path.Combine(root, ClassFolderLayout.ClassesFileName);
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            // Kept in file order: that order is the class order.
            using var document = JsonDocument.Parse(File.ReadAllBytes(path));
            var map = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var property in document.RootElement.EnumerateObject())
            {
                map[property.Name] = property.Value.GetString() ?? property.Name;
            }

            return map;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            throw new InvalidInputException($"{path}: not a JSON object mapping class folders to class names ({e.Message}).", e);
        }
    }

    private static void RefuseStrays(string root, string folder, List<ImportCandidate> refused)
    {
        foreach (var stray in Directory.GetFiles(folder))
        {
            if (folder == root && Path.GetFileName(stray) == ClassFolderLayout.ClassesFileName)
            {
                continue;
            }

            refused.Add(ImportCandidate.Refused(Path.GetRelativePath(root, stray), "not inside a class folder"));
        }
    }

    private static void AddFiles(string root, string folder, string className, Split? split, List<ImportCandidate> entries)
    {
        foreach (var entry in new DirectoryInfo(folder).EnumerateFileSystemInfos())
        {
            var relative = Path.GetRelativePath(root, entry.FullName);
            if (entry.Name.StartsWith('.'))
            {
                continue;
            }

            if (!entry.Exists)
            {
                // .NET decodes names as UTF-8, replacing invalid bytes, so such a name cannot be opened again.
                entries.Add(ImportCandidate.Refused(relative, relative.Contains('\uFFFD', StringComparison.Ordinal)
                    ? "the file name is not valid UTF-8; rename the file"
                    : "the file disappeared while the tree was being read"));
                continue;
            }

            // The attribute comes from the listing's own lstat; asking for LinkTarget would cost a readlink per file.
            if (entry.Attributes.HasFlag(FileAttributes.ReparsePoint))
            {
                var target = entry.ResolveLinkTarget(returnFinalTarget: true);
                if (target is null || !target.Exists || !target.FullName.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
                {
                    entries.Add(ImportCandidate.Refused(relative, "a symbolic link that leads outside the source tree"));
                    continue;
                }

                if (target is DirectoryInfo)
                {
                    // Following links between folders inside the tree could loop; the files are imported where they really are.
                    entries.Add(ImportCandidate.Refused(relative, "a symbolic link to a folder (its files are imported from their real place)"));
                    continue;
                }

                entries.Add(Candidate(root, relative, className, split, ((FileInfo)target).Length));
            }
            else if (entry is DirectoryInfo)
            {
                AddFiles(root, entry.FullName, className, split, entries);
            }
            else
            {
                entries.Add(Candidate(root, relative, className, split, ((FileInfo)entry).Length));
            }
        }
    }

    private static ImportCandidate Candidate(string root, string relative, string className, Split? split, long size)
    {
        var full = Path.Combine(root, relative);
        // A blocking read: it runs on an import worker (one per core), and Linux has no asynchronous file reads to
        // wait on, so the async path only added thread-pool hops to every small file.
        return new ImportCandidate(relative, relative, className, split, _ => new ValueTask<byte[]>(File.ReadAllBytes(full)), size);
    }
}
