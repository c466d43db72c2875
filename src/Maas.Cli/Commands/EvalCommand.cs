using System.CommandLine;
using System.Globalization;
using Maas.Cli.Plots;
using Maas.Core;
using Maas.Core.Datasets;
using Maas.Core.Errors;
using Maas.Training.Evaluation;
using Maas.Workflows.Evaluation;
using Spectre.Console;

namespace Maas.Cli.Commands;

/// <summary>
/// <c>maas eval MODEL --data NAME@V --split test</c>: evaluates a registered model on one split of a dataset version
/// (<see cref="EvaluateModel"/>), draws the confusion heat map if asked, and prints the scores.
/// </summary>
internal static class EvalCommand
{
    private sealed record Evaluation(string Model, string Dataset, string Split, ProbabilityReport Scores, CalibrationReport? Calibration, string? ConfusionPlot);

    public static Command Create()
    {
        var model = new Argument<string>("model") { Description = "MODEL, MODEL@VERSION or MODEL@ALIAS (MODEL alone means its production alias, else its latest version)." };
        var data = new Option<string>("--data") { Description = "NAME@VERSION of the dataset to evaluate on (NAME alone means its latest version).", Required = true };
        var split = new Option<string>("--split") { Description = "The split to evaluate: test, validation or train.", DefaultValueFactory = _ => "test" };
        var topK = new Option<int>("--top-k") { Description = "k of the top-k accuracy.", DefaultValueFactory = _ => 5 };
        var confusion = new Option<string?>("--confusion") { Description = "Also draw the confusion matrix as a heat map into this .png (or .svg) file." };
        var calibrate = new Option<bool>("--calibrate") { Description = "Fit temperature scaling on the validation split and report the calibration error before and after." };
        var command = new Command("eval", "Evaluate a registered model on a dataset split: accuracy, top-k, precision, recall, F1, confusion and calibration.")
        {
            model, data, split, topK, confusion, calibrate,
        };
        command.SetAction(CliContext.Action(async (parse, ct) =>
        {
            var splitText = parse.GetValue(split)!;
            if (!SplitNames.TryParse(splitText, out var evaluated))
            {
                throw new InvalidInputException($"--split '{splitText}': give test, validation or train.");
            }

            var json = parse.GetValue(CliContext.Json);
            var request = new EvaluateModelRequest(VersionedName.Parse(parse.GetValue(model)!, "model"), VersionedName.Parse(parse.GetValue(data)!, "--data dataset"),
                evaluated, parse.GetValue(topK), parse.GetValue(calibrate));
            using var stores = CliContext.OpenStores();
            var result = await ProgressDisplay.RunAsync(json, (report, token) => new EvaluateModel(stores).RunAsync(request, ProgressDisplay.Stages(report), token), ct);
            var plot = parse.GetValue(confusion);
            if (plot is not null)
            {
                ConfusionHeatMap.Create(result.Labels, result.Scores.Report.ConfusionMatrix, $"{result.Model} on {result.Dataset} ({result.Split})")
                    .Write(plot, "--confusion");
            }

            var evaluation = new Evaluation(result.Model, result.Dataset, result.Split, result.Scores, result.Calibration, plot is null ? null : Path.GetFullPath(plot));
            if (json)
            {
                CliContext.WriteJson(evaluation);
            }
            else
            {
                WriteSummary(evaluation, result.Labels);
            }

            return ExitCodes.Success;
        }));
        return command;
    }

    private static void WriteSummary(Evaluation evaluation, IReadOnlyList<string> classNames)
    {
        var s = evaluation.Scores;
        var r = s.Report;
        AnsiConsole.MarkupLine($"[bold]{Markup.Escape(evaluation.Model)}[/] on {Markup.Escape(evaluation.Dataset)} ({evaluation.Split}, {r.SampleCount:N0} images)");
        var summary = new Table().AddColumns("metric", "value");
        summary.AddRow("accuracy", F(r.Accuracy));
        summary.AddRow($"top-{s.TopK} accuracy", F(s.TopKAccuracy));
        summary.AddRow("precision macro / weighted", $"{F(r.MacroPrecision)} / {F(r.WeightedPrecision)}");
        summary.AddRow("recall macro / weighted", $"{F(r.MacroRecall)} / {F(r.WeightedRecall)}");
        summary.AddRow("F1 macro / weighted", $"{F(r.MacroF1)} / {F(r.WeightedF1)}");
        summary.AddRow("negative log-likelihood", r.Loss is { } loss ? F(loss) : "-");
        summary.AddRow($"ECE ({s.Bins.Count} bins)", F(s.ExpectedCalibrationError));
        if (evaluation.Calibration is { } calibration)
        {
            summary.AddRow($"temperature (fitted on {calibration.FittedOn})", calibration.Temperature.ToString("0.000", CultureInfo.InvariantCulture));
            summary.AddRow("ECE before / after", $"{F(calibration.EceBefore)} / {F(calibration.EceAfter)}");
            summary.AddRow("NLL before / after", $"{F(calibration.NllBefore)} / {F(calibration.NllAfter)}");
        }

        AnsiConsole.Write(summary);
        var classes = new Table().AddColumns("class", "precision", "recall", "F1", "support");
        foreach (var c in r.Classes)
        {
            classes.AddRow(Markup.Escape(c.Name), F(c.Precision), F(c.Recall), F(c.F1), c.Support.ToString("N0", CultureInfo.InvariantCulture));
        }

        AnsiConsole.Write(classes);
        var confusion = new Table().AddColumn("true \\ predicted");
        for (var j = 0; j < classNames.Count; j++)
        {
            confusion.AddColumn(new TableColumn(j.ToString(CultureInfo.InvariantCulture)).RightAligned());
        }

        for (var i = 0; i < classNames.Count; i++)
        {
            confusion.AddRow([$"{i} {Markup.Escape(classNames[i])}",
                .. r.ConfusionMatrix[i].Select((n, j) => i == j ? $"[green]{n}[/]" : n.ToString(CultureInfo.InvariantCulture))]);
        }

        AnsiConsole.Write(confusion);
        if (evaluation.ConfusionPlot is { } plot)
        {
            AnsiConsole.MarkupLine($"Confusion heat map written to {Markup.Escape(plot)}");
        }
    }

    private static string F(double value) => value.ToString("0.0000", CultureInfo.InvariantCulture);
}
