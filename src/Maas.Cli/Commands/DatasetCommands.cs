using System.CommandLine;
using System.Globalization;
using Maas.Core;
using Maas.Core.Datasets;
using Maas.Core.Errors;
using Maas.Datasets;
using Maas.Workflows.Datasets;
using Spectre.Console;

namespace Maas.Cli.Commands;

/// <summary><c>maas dataset import|list|show</c>.</summary>
internal static class DatasetCommands
{
    public static Command Create()
    {
        var command = new Command("dataset", "Import and inspect dataset versions.");
        command.Subcommands.Add(Import());
        command.Subcommands.Add(List());
        command.Subcommands.Add(Show());
        command.Subcommands.Add(DatasetDiffCommand.Create());
        command.Subcommands.Add(DatasetExportCommand.Create());
        command.Subcommands.Add(DatasetRemoveCommand.Create());
        command.Subcommands.Add(DatasetFixCommand.Create());
        return command;
    }

    private static Command Import()
    {
        var path = new Argument<string>("path") { Description = "A folder of MNIST-family IDX files (gzip or plain), or a class-per-folder tree (root/<class>/* or root/<split>/<class>/*)." };
        var name = new Option<string>("--name") { Description = "The dataset name; importing into an existing name makes its next version.", Required = true };
        var classes = new Option<string?>("--classes") { Description = "Comma-separated class names in label order (IDX files carry none, so they default to 0..K-1)." };
        var split = new Option<string?>("--split") { Description = "Train,validation,test fractions for sources without split folders. The default is 0.8,0.1,0.1." };
        var seed = new Option<int>("--seed") { Description = "Seed of the stratified split.", DefaultValueFactory = _ => 42 };
        var format = new Option<ImportFormat>("--format") { Description = "The source layout; auto detects it from content and layout.", DefaultValueFactory = _ => ImportFormat.Auto };
        var command = new Command("import", "Import images into a new immutable dataset version.") { path, name, classes, split, seed, format };
        command.SetAction(CliContext.Action(async (parse, ct) =>
        {
            var json = parse.GetValue(CliContext.Json);
            var options = new ImportOptions(
                parse.GetValue(classes) is { } c ? c.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries) : null,
                parse.GetValue(split) is { } s ? ParseFractions(s) : null,
                parse.GetValue(seed),
                parse.GetValue(format));
            using var stores = CliContext.OpenStores();
            var request = new ImportDatasetRequest(parse.GetValue(path)!, parse.GetValue(name)!, options);
            var result = await ProgressDisplay.RunAsync(json, (report, token) => new ImportDataset(stores).RunAsync(request,
                new InlineProgress<ImportProgress>(p => report(p.Stage, p.Done, p.Total)), token), ct);
            WriteImport(result, json);
            return ExitCodes.Success;
        }));
        return command;
    }

    private static Command List()
    {
        var command = new Command("list", "List every dataset version.");
        command.SetAction(CliContext.Action(async (parse, ct) =>
        {
            using var stores = CliContext.OpenStores();
            var versions = await stores.Datasets.ListVersionsAsync(ct);
            if (parse.GetValue(CliContext.Json))
            {
                CliContext.WriteJson(versions);
                return ExitCodes.Success;
            }

            var table = new Table().AddColumns("version", "samples", "classes", "created", "source");
            foreach (var v in versions)
            {
                table.AddRow(Markup.Escape(v.Reference), v.SampleCount.ToString("N0", CultureInfo.InvariantCulture),
                    v.Classes.Count.ToString(CultureInfo.InvariantCulture), v.CreatedAt.ToString("u", CultureInfo.InvariantCulture), Markup.Escape(v.Source));
            }

            AnsiConsole.Write(table);
            return ExitCodes.Success;
        }));
        return command;
    }

    private static Command Show()
    {
        var reference = new Argument<string>("dataset") { Description = "NAME@VERSION, or NAME for the latest version." };
        var command = new Command("show", "Show a dataset version's counts per split and class, image sizes, channels and formats.") { reference };
        command.SetAction(CliContext.Action(async (parse, ct) =>
        {
            using var stores = CliContext.OpenStores();
            var (version, counts, images) = await new ShowDataset(stores).RunAsync(VersionedName.Parse(parse.GetValue(reference)!, "dataset"), ct);
            if (parse.GetValue(CliContext.Json))
            {
                CliContext.WriteJson(new { version, counts = CountsJson(counts), images });
                return ExitCodes.Success;
            }

            AnsiConsole.MarkupLine($"[bold]{Markup.Escape(version.Reference)}[/]: {version.SampleCount:N0} samples, {version.Classes.Count} classes, from {Markup.Escape(version.Source)}");
            AnsiConsole.Write(CountsTable(counts));
            var sizes = new Table().AddColumn("pixels").AddColumn(new TableColumn("min").RightAligned())
                .AddColumn(new TableColumn("median").RightAligned()).AddColumn(new TableColumn("max").RightAligned());
            foreach (var (what, summary) in new[] { ("width", images.Width), ("height", images.Height) })
            {
                sizes.AddRow(what, summary.Min.ToString("N0", CultureInfo.InvariantCulture), summary.Median.ToString("0.#", CultureInfo.InvariantCulture),
                    summary.Max.ToString("N0", CultureInfo.InvariantCulture));
            }

            AnsiConsole.Write(sizes);
            AnsiConsole.MarkupLine(string.Create(CultureInfo.InvariantCulture,
                $"channels: {string.Join(", ", images.Channels.Select(kv => $"{kv.Key} ({kv.Value:N0})"))}; formats: {Markup.Escape(string.Join(", ", images.Formats.Select(kv => $"{kv.Key} ({kv.Value:N0})")))}"));
            return ExitCodes.Success;
        }));
        return command;
    }

    private static void WriteImport(ImportResult result, bool json)
    {
        if (json)
        {
            CliContext.WriteJson(new
            {
                version = result.Version.Reference,
                result.Version.SampleCount,
                counts = CountsJson(result.Counts),
                result.DuplicatesDropped,
                format = result.Format,
                rejection_report = result.RejectionReportPath,
                rejections = result.Rejections,
            });
            return;
        }

        AnsiConsole.MarkupLine($"Imported [bold green]{Markup.Escape(result.Version.Reference)}[/]: {result.Version.SampleCount:N0} samples, {result.Counts.Classes.Count} classes.");
        AnsiConsole.Write(CountsTable(result.Counts));
        if (result.DuplicatesDropped > 0)
        {
            AnsiConsole.MarkupLine($"[yellow]{result.DuplicatesDropped} exact duplicate file(s) kept once.[/]");
        }

        if (result.Rejections.Count > 0)
        {
            var table = new Table().AddColumns("rejected file", "reason");
            foreach (var r in result.Rejections.Take(50))
            {
                table.AddRow(Markup.Escape(r.Path), Markup.Escape(r.Reason));
            }

            AnsiConsole.MarkupLine($"[yellow]{result.Rejections.Count} file(s) rejected[/]{(result.Rejections.Count > 50 ? " (first 50 shown)" : "")}:");
            AnsiConsole.Write(table);
        }

        AnsiConsole.MarkupLine($"[grey]Rejection report: {Markup.Escape(result.RejectionReportPath)}[/]");
    }

    private static Dictionary<string, Dictionary<string, int>> CountsJson(SplitCounts counts) =>
        counts.Counts.OrderBy(kv => kv.Key).ToDictionary(kv => kv.Key.ToName(),
            kv => counts.Classes.Select((c, i) => (c, i)).ToDictionary(p => p.c, p => kv.Value[p.i]));

    private static Table CountsTable(SplitCounts counts)
    {
        var splits = counts.Counts.Keys.Order().ToArray();
        var table = new Table().AddColumn("class");
        foreach (var s in splits)
        {
            table.AddColumn(new TableColumn(s.ToName()).RightAligned());
        }

        for (var i = 0; i < counts.Classes.Count; i++)
        {
            table.AddRow([Markup.Escape(counts.Classes[i]), .. splits.Select(s => counts.Counts[s][i].ToString("N0", CultureInfo.InvariantCulture))]);
        }

        table.AddRow(["[bold]total[/]", .. splits.Select(s => $"[bold]{counts.Total(s):N0}[/]")]);
        return table;
    }

    private static double[] ParseFractions(string text)
    {
        try
        {
            return text.Split(',').Select(p => double.Parse(p, CultureInfo.InvariantCulture)).ToArray();
        }
        catch (FormatException)
        {
            throw new InvalidInputException($"--split '{text}': give three comma-separated fractions, e.g. 0.8,0.1,0.1.");
        }
    }
}
