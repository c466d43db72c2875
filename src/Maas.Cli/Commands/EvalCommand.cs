using System.CommandLine;
using System.Globalization;
using Maas.Cli.Plots;
using Maas.Core;
using Maas.Core.Datasets;
using Maas.Core.Errors;
using Maas.Inference;
using Maas.Storage;
using Maas.Training.Evaluation;
using Spectre.Console;

namespace Maas.Cli.Commands;

/// <summary>
/// <c>maas eval MODEL --data NAME@V --split test</c>: runs a registered ONNX model through ONNX Runtime, with the
/// pipeline stored beside it, over one split of a dataset version, and scores it.
/// </summary>
internal static class EvalCommand
{
    // Images per ONNX Runtime call: large enough to amortize the call, small enough to keep one batch in cache-sized memory.
    private const int BatchSize = 256;

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

            int k = parse.GetValue(topK);
            if (k < 1)
            {
                throw new InvalidInputException($"--top-k {k}: give 1 or more.");
            }

            var json = parse.GetValue(CliContext.Json);
            using var stores = CliContext.OpenStores();
            var version = await stores.Models.ResolveAsync(VersionedName.Parse(parse.GetValue(model)!, "model"), ct);
            var dataset = await stores.Datasets.GetVersionAsync(VersionedName.Parse(parse.GetValue(data)!, "--data dataset"), ct);
            var samples = await stores.Datasets.GetSamplesAsync(dataset.Name, dataset.Version, ct);
            using var loaded = new LoadedModel(version, stores.Models.ArtifactPath(version));
            var wantCalibration = parse.GetValue(calibrate);
            if (wantCalibration && !samples.Any(s => s.Split == Split.Validation))
            {
                throw new InvalidInputException($"--calibrate: dataset {dataset.Reference} has no validation split to fit the temperature on.");
            }

            var result = await ProgressDisplay.RunAsync(json, (report, token) => Task.Run(() =>
            {
                var (probabilities, labels) = Predict(loaded, stores, dataset, samples, evaluated, report, token);
                var scores = ProbabilityScoring.Score(probabilities, labels, version.Labels, k);
                CalibrationReport? calibration = null;
                if (wantCalibration)
                {
                    var (fitProbabilities, fitLabels) = Predict(loaded, stores, dataset, samples, Split.Validation, report, token);
                    calibration = Calibrate(fitProbabilities, fitLabels, probabilities, labels, version.Labels, scores);
                }

                return (scores, calibration);
            }, token), ct);

            var plot = parse.GetValue(confusion);
            if (plot is not null)
            {
                ConfusionHeatMap.Create(version.Labels, result.scores.Report.ConfusionMatrix, $"{version.Reference} on {dataset.Reference} ({evaluated.ToName()})")
                    .Write(plot, "--confusion");
            }

            var evaluation = new Evaluation(version.Reference, dataset.Reference, evaluated.ToName(), result.scores, result.calibration,
                plot is null ? null : Path.GetFullPath(plot));
            if (json)
            {
                CliContext.WriteJson(evaluation);
            }
            else
            {
                WriteSummary(evaluation, version.Labels);
            }

            return ExitCodes.Success;
        }));
        return command;
    }

    /// <summary>The model's probabilities for every sample of one split, and the samples' labels as the model's class indices.</summary>
    private static (float[] Probabilities, int[] Labels) Predict(LoadedModel loaded, MaasStores stores, DatasetVersion dataset, IReadOnlyList<Sample> samples,
        Split split, ProgressDisplay.Report report, CancellationToken cancellationToken)
    {
        var selected = samples.Where(s => s.Split == split).ToList();
        if (selected.Count == 0)
        {
            throw new InvalidInputException($"dataset {dataset.Reference} has no {split.ToName()} split.");
        }

        // The dataset's class order need not be the model's: match classes by name.
        var modelIndex = loaded.Version.Labels.Select((label, i) => (label, i)).ToDictionary(p => p.label, p => p.i, StringComparer.Ordinal);
        var labels = new int[selected.Count];
        for (int i = 0; i < selected.Count; i++)
        {
            var name = dataset.Classes[selected[i].Label];
            if (!modelIndex.TryGetValue(name, out labels[i]))
            {
                throw new InvalidInputException(
                    $"dataset {dataset.Reference} has class '{name}', which {loaded.Version.Reference} does not predict (its labels: {string.Join(", ", loaded.Version.Labels)}).");
            }
        }

        var stage = $"evaluating on {split.ToName()}";
        var size = loaded.InputShape.Length;
        var classes = loaded.ClassCount;
        var pixels = new float[BatchSize * size];
        var probabilities = new float[selected.Count * classes];
        for (int start = 0; start < selected.Count; start += BatchSize)
        {
            cancellationToken.ThrowIfCancellationRequested();
            int count = Math.Min(BatchSize, selected.Count - start);
            int first = start;
            loaded.Pipeline.RunMany(count, i => (stores.Blobs.Get(selected[first + i].BlobHash), selected[first + i].SampleId), pixels, null, cancellationToken);
            loaded.Run(pixels, count).AsSpan(0, count * classes).CopyTo(probabilities.AsSpan(start * classes));
            report(stage, start + count, selected.Count);
        }

        return (probabilities, labels);
    }

    private static CalibrationReport Calibrate(float[] fitProbabilities, int[] fitLabels, float[] probabilities, int[] labels,
        IReadOnlyList<string> classNames, ProbabilityReport before)
    {
        int k = classNames.Count;
        // ONNX models give probabilities; ln p are logits up to a per-row constant, which softmax ignores.
        var temperature = TemperatureScaling.Fit(TemperatureScaling.LogitsOf(fitProbabilities), fitLabels, k);
        var after = ProbabilityScoring.Score(TemperatureScaling.Apply(TemperatureScaling.LogitsOf(probabilities), k, temperature), labels, classNames, before.TopK);
        return new CalibrationReport(temperature, Split.Validation.ToName(), fitLabels.Length, before.ExpectedCalibrationError, after.ExpectedCalibrationError,
            before.Report.Loss ?? 0, after.Report.Loss ?? 0);
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
