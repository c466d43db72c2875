using Maas.Core.Datasets;
using Maas.Core.Errors;

namespace Maas.Datasets.Folders;

/// <summary>
/// A class-per-folder tree: <c>root/&lt;class&gt;/*</c>, or <c>root/&lt;split&gt;/&lt;class&gt;/*</c> with split
/// folders named <c>train</c>, <c>val</c>|<c>validation</c>, <c>test</c>. Class names are the folder names, in
/// ordinal order, so the class list is stable however the files are listed.
/// </summary>
public static class FolderSource
{
    /// <summary>Lists the tree's images; symlinks leading out of the tree are refused.</summary>
    public static ImportSource Read(string root, IReadOnlyList<string>? classNames)
    {
        root = Path.GetFullPath(root);
        var topFolders = Directory.GetDirectories(root).Select(d => Path.GetFileName(d)!).Order(StringComparer.Ordinal).ToArray();
        var hasSplits = topFolders.Length > 0 && topFolders.All(f => SplitNames.TryParse(f, out _));
        var rejections = new List<ImportRejection>();
        var entries = new List<(string Path, string Class, Split? Split)>();
        if (hasSplits)
        {
            foreach (var splitFolder in topFolders)
            {
                SplitNames.TryParse(splitFolder, out var split);
                foreach (var classFolder in Directory.GetDirectories(Path.Combine(root, splitFolder)))
                {
                    AddFiles(root, classFolder, Path.GetFileName(classFolder)!, split, entries, rejections);
                }

                foreach (var stray in Directory.GetFiles(Path.Combine(root, splitFolder)))
                {
                    rejections.Add(new ImportRejection(Path.GetRelativePath(root, stray), "not inside a class folder"));
                }
            }
        }
        else
        {
            foreach (var classFolder in topFolders)
            {
                AddFiles(root, Path.Combine(root, classFolder), classFolder, null, entries, rejections);
            }
        }

        foreach (var stray in Directory.GetFiles(root))
        {
            rejections.Add(new ImportRejection(Path.GetFileName(stray), "not inside a class folder"));
        }

        var found = entries.Select(e => e.Class).Distinct().Order(StringComparer.Ordinal).ToList();
        if (found.Count == 0)
        {
            throw new InvalidInputException($"{root}: no class folders with files (expected root/<class>/* or root/<split>/<class>/*).");
        }

        var classes = classNames is null ? found : OrderedBy(classNames, found, root);
        var index = classes.Select((name, i) => (name, i)).ToDictionary(p => p.name, p => p.i, StringComparer.Ordinal);
        var candidates = entries
            .OrderBy(e => e.Path, StringComparer.Ordinal)
            .Select(e => new ImportCandidate(e.Path, e.Path, index[e.Class], e.Split,
                ct => File.ReadAllBytesAsync(Path.Combine(root, e.Path), ct)))
            .ToArray();
        return new ImportSource("folder", classes, candidates, rejections);
    }

    private static IReadOnlyList<string> OrderedBy(IReadOnlyList<string> names, List<string> found, string root)
    {
        var missing = found.Except(names, StringComparer.Ordinal).ToArray();
        return missing.Length > 0
            ? throw new InvalidInputException($"--classes: the class folders {string.Join(", ", missing)} in {root} are not named.")
            : names;
    }

    private static void AddFiles(string root, string folder, string className, Split? split,
        List<(string, string, Split?)> entries, List<ImportRejection> rejections)
    {
        foreach (var file in Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(root, file);
            var info = new FileInfo(file);
            if (info.LinkTarget is not null)
            {
                var target = info.ResolveLinkTarget(returnFinalTarget: true)?.FullName;
                if (target is null || !target.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
                {
                    rejections.Add(new ImportRejection(relative, "a symbolic link that leads outside the source tree"));
                    continue;
                }
            }

            if (Path.GetFileName(file).StartsWith('.'))
            {
                continue;
            }

            entries.Add((relative, className, split));
        }
    }
}
