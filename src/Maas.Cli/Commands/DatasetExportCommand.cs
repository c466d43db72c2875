using System.CommandLine;
using System.Globalization;
using Maas.Core;
using Maas.Core.Datasets;
using Maas.Core.Errors;
using Maas.Workflows.Datasets;
using Spectre.Console;

namespace Maas.Cli.Commands;

/// <summary>
/// <c>maas dataset export NAME@V --out DIR</c>: the version as a class-per-folder tree
/// <c>DIR/&lt;split&gt;/&lt;class folder&gt;/&lt;file&gt;</c> plus <c>DIR/classes.json</c>, the layout <c>maas dataset import</c> reads.
/// </summary>
internal static class DatasetExportCommand
{
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
            var request = new ExportDatasetRequest(VersionedName.Parse(parse.GetValue(reference)!, "dataset"), parse.GetValue(output)!, parse.GetValue(force));
            var result = await ProgressDisplay.RunAsync(json, (report, token) => new ExportDataset(stores).RunAsync(request, ProgressDisplay.Stages(report), token), ct);
            if (json)
            {
                CliContext.WriteJson(new { dataset = result.Dataset, @out = result.Folder, files = result.Files, classes = result.Classes });
                return ExitCodes.Success;
            }

            AnsiConsole.MarkupLine(string.Create(CultureInfo.InvariantCulture,
                $"Exported [bold]{Markup.Escape(result.Dataset)}[/] to {Markup.Escape(result.Folder)}: {result.Files:N0} files in {string.Join(", ", result.Splits.Select(s => s.ToName()))}; " +
                $"{ClassFolderLayout.ClassesFileName} maps the {result.Classes.Count} class folders to class names."));
            if (result.Classes.All(f => !f.Folder.Contains(',', StringComparison.Ordinal)))
            {
                AnsiConsole.MarkupLine("[grey]maas dataset import reads classes.json back, so the class names and their order survive.[/]");
            }

            return ExitCodes.Success;
        }));
        return command;
    }
}
