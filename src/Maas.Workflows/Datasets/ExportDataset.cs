using System.Text.Encodings.Web;
using System.Text.Json;
using Maas.Core;
using Maas.Core.Datasets;
using Maas.Core.Errors;
using Maas.Storage;
using Maas.Storage.Blobs;
using Maas.Storage.Locking;

namespace Maas.Workflows.Datasets;

/// <summary>
/// Writes a dataset version as a class-per-folder tree <c>DIR/&lt;split&gt;/&lt;class folder&gt;/&lt;file&gt;</c> plus
/// <c>DIR/classes.json</c>, the layout the importer reads back with the class names and their order.
/// </summary>
/// <param name="stores">The stores the version and its images are read from.</param>
public sealed class ExportDataset(MaasStores stores)
{
    /// <summary>The stage name progress reports use.</summary>
    public const string Stage = "exporting";

    private static readonly JsonWriterOptions s_classesJson = new() { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Writes the tree beside <see cref="ExportDatasetRequest.Output"/> and renames it into place at the end, so a failure leaves no partial tree.</summary>
    /// <param name="request">The version, the folder and whether to replace a non-empty one.</param>
    /// <param name="progress">Receives files written, if given.</param>
    /// <param name="cancellationToken">Cancels the export; the partial tree is removed.</param>
    /// <returns>The folder written and what it holds.</returns>
    /// <exception cref="InvalidInputException">The folder is the file system's root, or holds or lies inside the Maas home.</exception>
    /// <exception cref="ConflictException">A file has the folder's name, or the folder is not empty and <see cref="ExportDatasetRequest.Force"/> is false.</exception>
    /// <exception cref="NotFoundException">No such dataset version.</exception>
    public async Task<ExportDatasetResult> RunAsync(ExportDatasetRequest request, IProgress<StageProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        // Shared: it reads images that a dataset removal or gc (exclusive) may delete.
        using var homeLock = await HomeLock.AcquireSharedAsync(stores.Home, $"exporting {request.Dataset}", cancellationToken);
        var target = Path.GetFullPath(request.Output);
        CheckTarget(target, stores.Home, request.Force);
        var version = await stores.Datasets.GetVersionAsync(request.Dataset, cancellationToken);
        var layout = ClassFolderLayout.Plan(version, await stores.Datasets.GetSamplesAsync(version.Name, version.Version, cancellationToken));
        await WriteTreeAsync(stores.Blobs, layout, target, progress, cancellationToken);
        return new ExportDatasetResult(version.Reference, target, layout.Files.Count, layout.Folders,
            layout.Files.Select(f => f.Sample.Split).Distinct().Order().ToArray());
    }

    private static void CheckTarget(string target, MaasHome home, bool force)
    {
        if (Path.GetDirectoryName(target) is null)
        {
            throw new InvalidInputException($"--out {target}: give a folder below the file system's root.");
        }

        var homeRoot = Path.GetFullPath(home.Root).TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar;
        var targetRoot = target.TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar;
        if (homeRoot.StartsWith(targetRoot, StringComparison.Ordinal) || targetRoot.StartsWith(homeRoot, StringComparison.Ordinal))
        {
            throw new InvalidInputException($"--out {target}: the folder holds or lies inside the Maas home {home.Root}; choose another.");
        }

        if (File.Exists(target))
        {
            throw new ConflictException($"--out {target}: a file of that name exists.");
        }

        if (!force && Directory.Exists(target) && Directory.EnumerateFileSystemEntries(target).Any())
        {
            throw new ConflictException($"--out {target}: the folder exists and is not empty; pass --force to replace it.");
        }
    }

    /// <summary>Writes the tree into a hidden folder beside <paramref name="target"/>, then renames it into place.</summary>
    private static async Task WriteTreeAsync(IBlobStore blobs, ClassFolderLayout layout, string target, IProgress<StageProgress>? progress,
        CancellationToken cancellationToken)
    {
        var parent = Path.GetDirectoryName(target)!;
        Directory.CreateDirectory(parent);
        var temp = Path.Combine(parent, $".{Path.GetFileName(target)}.export-{Guid.NewGuid():N}");
        try
        {
            foreach (var folder in layout.Files.Select(f => Path.GetDirectoryName(f.RelativePath)!).Distinct(StringComparer.Ordinal))
            {
                Directory.CreateDirectory(Path.Combine(temp, folder));
            }

            var done = 0;
            var total = layout.Files.Count;
            progress?.Report(new StageProgress(Stage, 0, total));
            await Parallel.ForEachAsync(layout.Files,
                new ParallelOptions { CancellationToken = cancellationToken, MaxDegreeOfParallelism = Environment.ProcessorCount },
                async (file, ct) =>
                {
                    var bytes = await blobs.GetAsync(file.Sample.BlobHash, ct);
                    await File.WriteAllBytesAsync(Path.Combine(temp, file.RelativePath), bytes, ct);
                    var now = Interlocked.Increment(ref done);
                    if (now % 512 == 0 || now == total)
                    {
                        progress?.Report(new StageProgress(Stage, now, total));
                    }
                });

            await WriteClassesAsync(Path.Combine(temp, ClassFolderLayout.ClassesFileName), layout.Folders, cancellationToken);
            cancellationToken.ThrowIfCancellationRequested();
            AtomicFile.SyncFileSystems();
            MoveIntoPlace(temp, target);
        }
        catch
        {
            if (Directory.Exists(temp))
            {
                Directory.Delete(temp, recursive: true);
            }

            throw;
        }
    }

    /// <summary>Writes <c>{"folder": "class name", ...}</c> in label order.</summary>
    private static async Task WriteClassesAsync(string path, IReadOnlyList<ClassFolder> folders, CancellationToken cancellationToken)
    {
        await using var stream = File.Create(path);
        await using (var writer = new Utf8JsonWriter(stream, s_classesJson))
        {
            writer.WriteStartObject();
            foreach (var folder in folders)
            {
                writer.WriteString(folder.Folder, folder.ClassName);
            }

            writer.WriteEndObject();
        }

        await stream.WriteAsync("\n"u8.ToArray(), cancellationToken);
    }

    /// <summary>Renames <paramref name="temp"/> to <paramref name="target"/>; an existing target is set aside first and restored if the rename fails.</summary>
    private static void MoveIntoPlace(string temp, string target)
    {
        if (!Directory.Exists(target))
        {
            Directory.Move(temp, target);
            return;
        }

        var replaced = Path.Combine(Path.GetDirectoryName(target)!, $".{Path.GetFileName(target)}.replaced-{Guid.NewGuid():N}");
        Directory.Move(target, replaced);
        try
        {
            Directory.Move(temp, target);
        }
        catch
        {
            Directory.Move(replaced, target);
            throw;
        }

        Directory.Delete(replaced, recursive: true);
    }
}
