using System.CommandLine;
using System.Globalization;
using Maas.Analysis.Reports;
using Maas.Analysis.Review;
using Maas.Core;
using Maas.Core.Errors;
using Spectre.Console;

namespace Maas.Cli.Commands;

/// <summary>
/// <c>maas dataset fix NAME@V --from REPORT.json --out review.csv</c> writes the review file of an analysis;
/// <c>maas dataset fix --apply review.csv</c> commits the reviewed removals and relabellings as a new version.
/// </summary>
internal static class DatasetFixCommand
{
    public static Command Create()
    {
        var reference = new Argument<string?>("dataset") { Description = "NAME@VERSION the report is about (checked against the report and the review file).", Arity = ArgumentArity.ZeroOrOne };
        var from = new Option<string?>("--from") { Description = "The analysis report.json to turn into a review file." };
        var output = new Option<string?>("--out") { Description = "Where to write the review CSV (with --from)." };
        var apply = new Option<string?>("--apply") { Description = "A reviewed CSV to apply: a new version without the 'remove' rows and with the 'relabel:<class>' rows." };
        var command = new Command("fix", "Review an analysis's flagged samples as CSV, then apply the reviewed file as a new dataset version.") { reference, from, output, apply };
        command.SetAction(CliContext.Action(async (parse, ct) =>
        {
            var json = parse.GetValue(CliContext.Json);
            var named = parse.GetValue(reference) is { } text ? VersionedName.Parse(text, "dataset") : null;
            if (parse.GetValue(apply) is { } reviewed)
            {
                if (parse.GetValue(from) is not null)
                {
                    throw new InvalidInputException("give either --from REPORT.json --out review.csv, or --apply review.csv, not both.");
                }

                return await ApplyAsync(reviewed, named, json, ct);
            }

            if (parse.GetValue(from) is not { } reportPath || parse.GetValue(output) is not { } csv)
            {
                throw new InvalidInputException("give --from REPORT.json --out review.csv to write a review file, or --apply review.csv to apply one.");
            }

            if (!File.Exists(reportPath))
            {
                throw new NotFoundException($"{reportPath}: no such report.");
            }

            var report = ReportJson.Deserialize(await File.ReadAllTextAsync(reportPath, ct), reportPath);
            if (named is not null && named.ToString() != report.Dataset && named.Name != report.Dataset.Split('@')[0])
            {
                throw new InvalidInputException($"{reportPath} is the report of {report.Dataset}, not of {named}.");
            }

            var rows = ReviewFile.RowsOf(report);
            await ReviewFile.WriteAsync(csv, rows, ct);
            if (json)
            {
                CliContext.WriteJson(new { dataset = report.Dataset, review = Path.GetFullPath(csv), rows = rows.Count, samples = rows.Select(r => r.SampleId).Distinct().Count() });
            }
            else
            {
                AnsiConsole.MarkupLine(string.Create(CultureInfo.InvariantCulture,
                    $"Wrote {rows.Count:N0} row(s) for {rows.Select(r => r.SampleId).Distinct().Count():N0} flagged sample(s) of [bold]{Markup.Escape(report.Dataset)}[/] to {Markup.Escape(csv)}. " +
                    $"Edit the action column (remove, relabel:<class>, keep), then run 'maas dataset fix --apply {Markup.Escape(csv)}'."));
            }

            return ExitCodes.Success;
        }));
        return command;
    }

    private static async Task<int> ApplyAsync(string csv, VersionedName? named, bool json, CancellationToken ct)
    {
        var rows = await ReviewFile.ReadAsync(csv, ct);
        if (named is not null && rows.Any(r => r.Dataset != named.ToString()))
        {
            throw new InvalidInputException($"{csv} reviews {string.Join(", ", rows.Select(r => r.Dataset).Distinct())}, not {named}.");
        }

        using var stores = CliContext.OpenStores();
        var result = await DatasetFix.ApplyAsync(stores, rows, Path.GetFileName(csv), ct);
        if (json)
        {
            CliContext.WriteJson(new { from = result.From, version = result.Version.Reference, result.Version.SampleCount, result.Removed, result.Relabelled });
            return ExitCodes.Success;
        }

        AnsiConsole.MarkupLine(string.Create(CultureInfo.InvariantCulture,
            $"Committed [bold green]{Markup.Escape(result.Version.Reference)}[/] from {Markup.Escape(result.From)}: {result.Removed:N0} removed, {result.Relabelled:N0} relabelled, {result.Version.SampleCount:N0} samples. " +
            $"See 'maas dataset diff {Markup.Escape(result.From)} {Markup.Escape(result.Version.Reference)}'."));
        return ExitCodes.Success;
    }
}
