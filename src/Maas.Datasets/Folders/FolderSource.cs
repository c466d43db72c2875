using System.Runtime.CompilerServices;
using System.Text.Json;
using Maas.Core.Datasets;
using Maas.Core.Errors;

namespace Maas.Datasets.Folders;

/// <summary>
/// A class-per-folder tree: <c>root/&lt;class&gt;/*</c>, or <c>root/&lt;split&gt;/&lt;class&gt;/*</c> with split
/// folders named <c>train</c>, <c>val</c>|<c>validation</c>, <c>test</c>. Class names are the folder names. Files
/// are listed in ordinal path order, so the same tree always gives the same manifest; symbolic links that lead
/// out of the tree are refused. A <c>classes.json</c> at the root (as <c>maas dataset export</c> writes) maps folder
/// names back to class names, in class order, so names such as <c>T-shirt/top</c> survive a round trip.
/// </summary>
public sealed class FolderSource : IImportSource
{
    private readonly string _root;
    private readonly List<(string Path, string Class, Split? Split, long Size)> _files;
    private readonly List<ImportCandidate> _refused;

    private FolderSource(string root, List<(string, string, Split?, long)> files, List<ImportCandidate> refused, IReadOnlyList<string>? classOrder)
    {
        _root = root;
        _files = files;
        _refused = refused;
        ClassOrder = classOrder;
    }

    /// <inheritdoc />
    public string Kind => "folder";

    /// <inheritdoc />
    public IReadOnlyList<string>? ClassOrder { get; }

    /// <inheritdoc />
    public int? Count => _files.Count + _refused.Count;

    /// <summary>Lists the tree.</summary>
    /// <exception cref="InvalidInputException">The tree holds no class folder with files.</exception>
    public static FolderSource Open(string root)
    {
        root = Path.GetFullPath(root);
        var topFolders = Directory.GetDirectories(root).Select(d => Path.GetFileName(d)!).Order(StringComparer.Ordinal).ToArray();
        var hasSplits = topFolders.Length > 0 && topFolders.All(f => SplitNames.TryParse(f, out _));
        var refused = new List<ImportCandidate>();
        var files = new List<(string, string, Split?, long)>();
        if (hasSplits)
        {
            foreach (var splitFolder in topFolders)
            {
                SplitNames.TryParse(splitFolder, out var split);
                foreach (var classFolder in Directory.GetDirectories(Path.Combine(root, splitFolder)))
                {
                    AddFiles(root, classFolder, Path.GetFileName(classFolder)!, split, files, refused);
                }

                RefuseStrays(root, Path.Combine(root, splitFolder), refused);
            }
        }
        else
        {
            foreach (var classFolder in topFolders)
            {
                AddFiles(root, Path.Combine(root, classFolder), classFolder, null, files, refused);
            }
        }

        RefuseStrays(root, root, refused);
        if (files.Count == 0 && refused.Count == 0)
        {
            throw new InvalidInputException($"{root}: no class folders with files (expected root/<class>/* or root/<split>/<class>/*).");
        }

        files.Sort((a, b) => string.CompareOrdinal(a.Item1, b.Item1));
        var classNames = ReadClassNames(root);
        if (classNames is null)
        {
            return new FolderSource(root, files, refused, null);
        }

        var named = files.Select(f => (f.Item1, classNames.TryGetValue(f.Item2, out var name) ? name : f.Item2, f.Item3, f.Item4)).ToList();
        return new FolderSource(root, named, refused, classNames.Values.ToList());
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<ImportCandidate> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        foreach (var refused in _refused)
        {
            yield return refused;
        }

        foreach (var (path, className, split, size) in _files)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var full = Path.Combine(_root, path);
            // A blocking read: it runs on an import worker (one per core), and Linux has no asynchronous file reads to
            // wait on, so the async path only added thread-pool hops to every small file.
            yield return new ImportCandidate(path, path, className, split, _ => new ValueTask<byte[]>(File.ReadAllBytes(full)), size);
        }

        await Task.CompletedTask;
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

    private static void AddFiles(string root, string folder, string className, Split? split,
        List<(string, string, Split?, long)> files, List<ImportCandidate> refused)
    {
        foreach (var entry in new DirectoryInfo(folder).EnumerateFileSystemInfos())
        {
            var relative = Path.GetRelativePath(root, entry.FullName);
            if (entry.Name.StartsWith('.'))
            {
                continue;
            }

            // The attribute comes from the listing's own lstat; asking for LinkTarget would cost a readlink per file.
            if (entry.Attributes.HasFlag(FileAttributes.ReparsePoint))
            {
                var target = entry.ResolveLinkTarget(returnFinalTarget: true);
                if (target is null || !target.Exists || !target.FullName.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
                {
                    refused.Add(ImportCandidate.Refused(relative, "a symbolic link that leads outside the source tree"));
                    continue;
                }

                if (target is DirectoryInfo)
                {
                    // Following links between folders inside the tree could loop; the files are imported where they really are.
                    refused.Add(ImportCandidate.Refused(relative, "a symbolic link to a folder (its files are imported from their real place)"));
                    continue;
                }

                files.Add((relative, className, split, ((FileInfo)target).Length));
            }
            else if (entry is DirectoryInfo)
            {
                AddFiles(root, entry.FullName, className, split, files, refused);
            }
            else
            {
                files.Add((relative, className, split, ((FileInfo)entry).Length));
            }
        }
    }
}
