using Maas.Core.Errors;
using Maas.Datasets.Archives;
using Maas.Datasets.Folders;
using Maas.Datasets.Idx;
using Maas.Datasets.Manifests;

namespace Maas.Datasets;

/// <summary>Opens the right <see cref="IImportSource"/> for a path: by <c>--format</c>, or detected from content and layout.</summary>
public static class ImportSources
{
    /// <summary>Opens <paramref name="path"/> as <paramref name="format"/>.</summary>
    /// <param name="path">A folder, manifest or archive.</param>
    /// <param name="format">The layout, or <see cref="ImportFormat.Auto"/> to detect it.</param>
    /// <param name="options">Class names and limits.</param>
    /// <param name="previousClasses">The dataset's current class list, when it has versions.</param>
    /// <exception cref="NotFoundException">The path does not exist.</exception>
    /// <exception cref="InvalidInputException">The path is not in the given or any known layout.</exception>
    public static IImportSource Open(string path, ImportFormat format, ImportOptions options, IReadOnlyList<string>? previousClasses)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(options);
        var isFolder = Directory.Exists(path);
        if (!isFolder && !File.Exists(path))
        {
            throw new NotFoundException($"{path}: no such file or folder.");
        }

        if (format == ImportFormat.Auto)
        {
            format = Detect(path, isFolder);
        }

        return format switch
        {
            ImportFormat.Idx => IdxSource.Open(isFolder ? path : Path.GetDirectoryName(Path.GetFullPath(path))!, options.ClassNames, previousClasses),
            ImportFormat.Folder when isFolder => FolderSource.Open(path),
            ImportFormat.Folder => throw new InvalidInputException($"{path}: --format folder needs a folder."),
            ImportFormat.Csv or ImportFormat.Jsonl => ManifestSource.Open(isFolder ? SingleManifest(path, format) : path, format),
            ImportFormat.Zip or ImportFormat.Tar when !isFolder => ArchiveSource.Open(path, format, options, previousClasses),
            ImportFormat.Zip or ImportFormat.Tar => throw new InvalidInputException(
                $"{path}: --format {format.ToString().ToLowerInvariant()} needs an archive file, not a folder."),
            _ => throw new InvalidInputException($"{path}: the {format.ToString().ToLowerInvariant()} format is not supported by this build."),
        };
    }

    private static ImportFormat Detect(string path, bool isFolder)
    {
        if (isFolder)
        {
            if (IdxSource.Detect(path))
            {
                return ImportFormat.Idx;
            }

            // A manifest at the top says how to read the tree: its images usually sit in folders that are not classes.
            var manifests = ManifestSource.FindManifests(path);
            return manifests.Count switch
            {
                0 => ImportFormat.Folder,
                1 => ManifestReader.FormatOf(manifests[0])!.Value,
                _ => throw new InvalidInputException(
                    $"{path}: {manifests.Count} manifests at the top ({string.Join(", ", manifests.Select(Path.GetFileName))}); import one of them by its path."),
            };
        }

        if (ArchiveSource.Detect(path) is { } archive)
        {
            return archive;
        }

        if (ManifestReader.FormatOf(path) is { } manifest)
        {
            return manifest;
        }

        var name = Path.GetFileName(path);
        if (name.Contains("-idx", StringComparison.Ordinal) && IdxSource.Detect(Path.GetDirectoryName(Path.GetFullPath(path))!))
        {
            return ImportFormat.Idx;
        }

        throw new InvalidInputException(
            $"{path}: cannot tell its layout; give a folder of IDX files, a class-per-folder tree, a CSV or JSON Lines manifest, or a zip or tar archive, or name the layout with --format.");
    }

    private static string SingleManifest(string folder, ImportFormat format)
    {
        var manifests = ManifestSource.FindManifests(folder, format);
        var kind = format.ToString().ToLowerInvariant();
        return manifests.Count switch
        {
            1 => manifests[0],
            0 => throw new InvalidInputException($"{folder}: --format {kind} was given, but there is no {kind} manifest at the top of the folder."),
            _ => throw new InvalidInputException(
                $"{folder}: {manifests.Count} {kind} manifests at the top ({string.Join(", ", manifests.Select(Path.GetFileName))}); import one of them by its path."),
        };
    }
}
