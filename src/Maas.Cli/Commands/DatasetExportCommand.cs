using System.CommandLine;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using Maas.Core;
using Maas.Core.Datasets;
using Maas.Core.Errors;
using Maas.Storage.Blobs;
using Spectre.Console;

namespace Maas.Cli.Commands;

/// <summary>
/// <c>maas dataset export NAME@V --out DIR</c>: the version as a class-per-folder tree
/// <c>DIR/&lt;split&gt;/&lt;class folder&gt;/&lt;file&gt;</c> plus <c>DIR/classes.json</c>, the layout <c>maas dataset import</c> reads.
/// </summary>
internal static class DatasetExportCommand
{
    private static readonly JsonWriterOptions s_classesJson = new() { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static Command Create()
    {
        var reference = new Argument<string>("dataset") { Description = "NAME@VERSION, or NAME for the latest version." };
        var output = new Option<string>("--out")
        {
            Description = "The folder to write; it must be missing or empty, unless --force. The tree is written beside it and renamed into place at the end.",
            HelpName = "DIR",
            Required = true,
        };
        var force = new Option<bool>("--force") { Description = "Replace the folder even when it is not empty." };
        var command = new Command("export", "Write a dataset version as a class-per-folder tree DIR/<split>/<class>/<file>, with classes.json naming the classes.")
        {
            reference, output, force,
        };
        command.SetAction(CliContext.Action(async (parse, ct) =>
        {
            var json = parse.GetValue(CliContext.Json);
            using var stores = CliContext.OpenStores();
            var target = Path.GetFullPath(parse.GetValue(output)!);
            CheckTarget(target, stores.Home, parse.GetValue(force));
            var version = await stores.Datasets.GetVersionAsync(VersionedName.Parse(parse.GetValue(reference)!, "dataset"), ct);
            var layout = ClassFolderLayout.Plan(version, await stores.Datasets.GetSamplesAsync(version.Name, version.Version, ct));
            await ProgressDisplay.RunAsync(json, (report, token) => WriteTreeAsync(stores.Blobs, layout, target, report, token), ct);
            if (json)
            {
                CliContext.WriteJson(new { dataset = version.Reference, @out = target, files = layout.Files.Count, classes = layout.Folders });
                return ExitCodes.Success;
            }

            var splits = layout.Files.Select(f => f.Sample.Split).Distinct().Order().Select(s => s.ToName());
            AnsiConsole.MarkupLine(string.Create(CultureInfo.InvariantCulture,
                $"Exported [bold]{Markup.Escape(version.Reference)}[/] to {Markup.Escape(target)}: {layout.Files.Count:N0} files in {string.Join(", ", splits)}; " +
                $"{ClassFolderLayout.ClassesFileName} maps the {layout.Folders.Count} class folders to class names."));
            if (layout.Folders.All(f => !f.Folder.Contains(',', StringComparison.Ordinal)))
            {
                AnsiConsole.MarkupLine("[grey]maas dataset import reads classes.json back, so the class names and their order survive.[/]");
            }

            return ExitCodes.Success;
        }));
        return command;
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
    private static async Task<int> WriteTreeAsync(IBlobStore blobs, ClassFolderLayout layout, string target, ProgressDisplay.Report report,
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
            report("exporting", 0, total);
            await Parallel.ForEachAsync(layout.Files,
                new ParallelOptions { CancellationToken = cancellationToken, MaxDegreeOfParallelism = Environment.ProcessorCount },
                async (file, ct) =>
                {
                    var bytes = await blobs.GetAsync(file.Sample.BlobHash, ct);
                    await File.WriteAllBytesAsync(Path.Combine(temp, file.RelativePath), bytes, ct);
                    var now = Interlocked.Increment(ref done);
                    if (now % 512 == 0 || now == total)
                    {
                        report("exporting", now, total);
                    }
                });

            await WriteClassesAsync(Path.Combine(temp, ClassFolderLayout.ClassesFileName), layout.Folders, cancellationToken);
            cancellationToken.ThrowIfCancellationRequested();
            AtomicFile.SyncFileSystems();
            MoveIntoPlace(temp, target);
            return total;
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
