using System.CommandLine;
using System.Globalization;
using Maas.Core;
using Maas.Core.Datasets;
using Maas.Core.Errors;
using Maas.Workflows.Datasets;
using Spectre.Console;

namespace Maas.Cli.Commands;

/// <summary><c>maas dataset diff NAME@A NAME@B</c>: samples added, removed, relabelled, changed and moved between two versions.</summary>
internal static class DatasetDiffCommand
{
    public static Command Create()
    {
        var from = new Argument<string>("from") { Description = "NAME@VERSION of the older version (NAME alone means its latest)." };
        var to = new Argument<string>("to") { Description = "NAME@VERSION of the newer version (NAME alone means its latest)." };
        var limit = new Option<int>("--limit") { Description = "How many differences the table shows; --json always lists all. The default is 50.", DefaultValueFactory = _ => 50 };
        var command = new Command("diff", "Compare two dataset versions sample by sample (matched by sample id, classes by name).") { from, to, limit };
        command.SetAction(CliContext.Action(async (parse, ct) =>
        {
            var rows = parse.GetValue(limit);
            if (rows < 0)
            {
                throw new InvalidInputException($"--limit {rows}: give a number of rows, 0 or more.");
            }

            using var stores = CliContext.OpenStores();
            var diff = await new DiffDatasets(stores).RunAsync(VersionedName.Parse(parse.GetValue(from)!, "dataset"), VersionedName.Parse(parse.GetValue(to)!, "dataset"), ct);
            if (parse.GetValue(CliContext.Json))
            {
                CliContext.WriteJson(diff);
                return ExitCodes.Success;
            }

            Write(diff, rows);
            return ExitCodes.Success;
        }));
        return command;
    }

    private static void Write(DatasetDiff diff, int limit)
    {
        AnsiConsole.MarkupLine(string.Create(CultureInfo.InvariantCulture,
            $"[bold]{Markup.Escape(diff.From)}[/] → [bold]{Markup.Escape(diff.To)}[/]: [green]{diff.Added.Count:N0} added[/], [red]{diff.Removed.Count:N0} removed[/], " +
            $"[yellow]{diff.Relabelled.Count:N0} relabelled[/], [yellow]{diff.Changed.Count:N0} changed[/], {diff.Moved.Count:N0} moved between splits, {diff.Unchanged:N0} unchanged."));
        if (diff.IsEmpty || limit == 0)
        {
            return;
        }

        var rows = Rows(diff).ToArray();
        var table = new Table().AddColumns("change", "sample", "before", "after");
        foreach (var (kind, id, before, after) in rows.Take(limit))
        {
            table.AddRow(kind, Markup.Escape(id), Markup.Escape(before), Markup.Escape(after));
        }

        AnsiConsole.Write(table);
        if (rows.Length > limit)
        {
            AnsiConsole.MarkupLine(string.Create(CultureInfo.InvariantCulture, $"[grey]first {limit:N0} of {rows.Length:N0} rows shown; --limit shows more, --json lists all.[/]"));
        }
    }

    private static IEnumerable<(string Kind, string Id, string Before, string After)> Rows(DatasetDiff diff)
    {
        static string Placed(SampleState s) => $"{s.ClassName} ({s.Split.ToName()})";

        foreach (var d in diff.Added)
        {
            yield return ("[green]added[/]", d.SampleId, "", Placed(d.After!));
        }

        foreach (var d in diff.Removed)
        {
            yield return ("[red]removed[/]", d.SampleId, Placed(d.Before!), "");
        }

        foreach (var d in diff.Relabelled)
        {
            yield return ("[yellow]relabelled[/]", d.SampleId, d.Before!.ClassName, d.After!.ClassName);
        }

        foreach (var d in diff.Changed)
        {
            yield return ("[yellow]changed[/]", d.SampleId, d.Before!.BlobHash[..12], d.After!.BlobHash[..12]);
        }

        foreach (var d in diff.Moved)
        {
            yield return ("moved", d.SampleId, d.Before!.Split.ToName(), d.After!.Split.ToName());
        }
    }
}
