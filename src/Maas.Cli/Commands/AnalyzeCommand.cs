using System.CommandLine;
using System.Globalization;
using Maas.Analysis;
using Maas.Analysis.LabelIssues;
using Maas.Analysis.Reports;
using Maas.Core;
using Maas.Core.Datasets;
using Maas.Core.Errors;
using Maas.Storage;
using Maas.Workflows.CrossValidation;
using Spectre.Console;

namespace Maas.Cli.Commands;

/// <summary><c>maas analyze NAME@V [--out DIR]</c>: statistics, relations and anomalies of a dataset version, as JSON and HTML.</summary>
internal static class AnalyzeCommand
{
    public static Command Create()
    {
        var reference = new Argument<string>("dataset") { Description = "NAME@VERSION, or NAME for the latest version." };
        var output = new Option<string?>("--out") { Description = "Also copy report.json and report.html into this folder." };
        var force = new Option<bool>("--force") { Description = "Analyze again even when a report made with the same options is cached." };
        var noEmbeddings = new Option<bool>("--no-embeddings")
        {
            Description = "Skip ResNet-18 embeddings (and with them embedding near duplicates, outliers, label issues, class similarity and embedding shift): several times faster.",
        };
        var folds = new Option<int>("--folds") { Description = "Cross-validation folds for label issues. The default is 3.", DefaultValueFactory = _ => 3 };
        var outliers = new Option<double>("--outlier-percent") { Description = "The top percent of outlier scores flagged. The default is 1.", DefaultValueFactory = _ => 1.0 };
        var radius = new Option<int>("--hamming-radius") { Description = "Perceptual hashes this many bits apart or closer are near duplicates. The default is 4.", DefaultValueFactory = _ => 4 };
        var labelModel = new Option<string>("--label-model")
        {
            Description = "Where label issues' out-of-fold probabilities come from: cnn (a small CNN trained per fold on the images) or embeddings (a softmax regression on the ResNet-18 embeddings: faster, much less precise). The default is cnn.",
            DefaultValueFactory = _ => "cnn",
        };
        labelModel.AcceptOnlyFromAmong("cnn", "embeddings");
        var labelEpochs = new Option<int>("--label-epochs") { Description = "Epochs of each fold's CNN. The default is 2.", DefaultValueFactory = _ => 2 };
        var labelMinutes = new Option<double>("--label-minutes")
        {
            Description = "At most this many minutes of CNN training, all folds together; a fold out of time keeps the network it has. The default is 6.",
            DefaultValueFactory = _ => 6,
        };
        var command = new Command("analyze", "Analyze a dataset version: class balance, image statistics, relations, quality issues, duplicates, leakage, outliers and likely label errors.")
        {
            reference, output, force, noEmbeddings, folds, outliers, radius, labelModel, labelEpochs, labelMinutes,
        };
        command.SetAction(CliContext.Action(async (parse, ct) =>
        {
            var json = parse.GetValue(CliContext.Json);
            var options = new AnalysisOptions(Embeddings: !parse.GetValue(noEmbeddings), Folds: parse.GetValue(folds),
                OutlierPercentile: parse.GetValue(outliers), HammingRadius: parse.GetValue(radius));
            var epochs = parse.GetValue(labelEpochs);
            var minutes = parse.GetValue(labelMinutes);
            if (options.Folds < 2 || options.OutlierPercentile is < 0 or > 100 || options.HammingRadius is < 0 or > 63 || epochs < 1 || !(minutes > 0))
            {
                throw new InvalidInputException("--folds must be 2 or more, --outlier-percent between 0 and 100, --hamming-radius between 0 and 63, --label-epochs 1 or more, --label-minutes above 0.");
            }

            using var stores = CliContext.OpenStores();
            IOutOfFoldClassifier? classifier = parse.GetValue(labelModel) == "cnn"
                ? new KFoldTrainer(stores.Blobs, new KFoldTrainerOptions(Epochs: epochs, TimeBudget: TimeSpan.FromMinutes(minutes)))
                : null;
            options = options with { LabelModel = classifier?.Name ?? EmbeddingRegression.ModelName };
            var version = await stores.Datasets.GetVersionAsync(VersionedName.Parse(parse.GetValue(reference)!, "dataset"), ct);
            await RunAsync(stores, version, options, classifier, parse.GetValue(force), parse.GetValue(output), json, ct);
            return ExitCodes.Success;
        }));
        return command;
    }

    /// <summary>
    /// Analyzes <paramref name="version"/> (or reuses its cached report), optionally copies the report, and prints the
    /// summary; <paramref name="classifier"/> is the one <see cref="AnalysisOptions.LabelModel"/> names, if not the embedding regression.
    /// </summary>
    public static async Task RunAsync(MaasStores stores, DatasetVersion version, AnalysisOptions options, IOutOfFoldClassifier? classifier, bool force,
        string? output, bool json, CancellationToken ct)
    {
        var cache = new ReportCache(stores.Home);
        var report = force ? null : cache.TryLoad(version.Reference, options);
        var cached = report is not null;
        if (report is null)
        {
            var samples = await stores.Datasets.GetSamplesAsync(version.Name, version.Version, ct);
            var analyzer = new DatasetAnalyzer(stores, classifier, (side, batch) => new Maas.Inference.ResNetEmbedder(batch: batch, side: side));
            var result = await ProgressDisplay.RunAsync(json, (progress, token) => analyzer.AnalyzeAsync(version, samples, options,
                new InlineProgress<AnalysisProgress>(p => progress(p.Stage, p.Done, p.Total)), token), ct);
            await cache.SaveAsync(result, ct);
            report = result.Report;
        }

        var folder = cache.FolderOf(version.Reference);
        if (output is { } target)
        {
            await cache.CopyToAsync(version.Reference, target, ct);
            folder = Path.GetFullPath(target);
        }

        Write(report, cached, folder, json);
    }

    private static void Write(AnalysisReport report, bool cached, string folder, bool json)
    {
        var jsonPath = Path.Combine(folder, ReportCache.JsonFileName);
        var htmlPath = Path.Combine(folder, ReportCache.HtmlFileName);
        if (json)
        {
            CliContext.WriteJson(new
            {
                dataset = report.Dataset,
                cached,
                report_json = jsonPath,
                report_html = htmlPath,
                samples = report.SampleCount,
                imbalance_ratio = report.Descriptive.ImbalanceRatio,
                train_channel_statistics = report.Descriptive.TrainChannelStatistics,
                issues = report.Anomalies.Counts,
                suppressed = report.Anomalies.Suppressed,
                skipped = report.Anomalies.Skipped,
                label_model = report.Anomalies.LabelModel,
            });
            return;
        }

        AnsiConsole.MarkupLine(string.Create(CultureInfo.InvariantCulture,
            $"[bold]{Markup.Escape(report.Dataset)}[/]: {report.SampleCount:N0} samples, imbalance ratio {report.Descriptive.ImbalanceRatio:0.00}, " +
            $"train mean {string.Join("/", report.Descriptive.TrainChannelStatistics.Mean.Select(m => m.ToString("0.###", CultureInfo.InvariantCulture)))}, " +
            $"std {string.Join("/", report.Descriptive.TrainChannelStatistics.Std.Select(m => m.ToString("0.###", CultureInfo.InvariantCulture)))}{(cached ? " [grey](cached; --force analyzes again)[/]" : "")}"));
        var table = new Table().AddColumn("issue").AddColumn(new TableColumn("samples").RightAligned());
        foreach (var (kind, count) in report.Anomalies.Counts)
        {
            var name = System.Text.Json.JsonNamingPolicy.SnakeCaseLower.ConvertName(kind.ToString());
            table.AddRow(Markup.Escape(name) + (report.Anomalies.Suppressed.Contains(kind) ? " [grey](too common to list)[/]" : ""), count.ToString("N0", CultureInfo.InvariantCulture));
        }

        AnsiConsole.Write(table);
        foreach (var skipped in report.Anomalies.Skipped)
        {
            AnsiConsole.MarkupLine($"[grey]skipped: {Markup.Escape(skipped)}[/]");
        }

        if (report.Anomalies.LabelModel is { } labelModel)
        {
            AnsiConsole.MarkupLine($"[grey]label issues from: {Markup.Escape(labelModel)}[/]");
        }

        AnsiConsole.MarkupLine($"Report: {Markup.Escape(htmlPath)}");
        AnsiConsole.MarkupLine($"[grey]JSON: {Markup.Escape(jsonPath)}; review it with 'maas dataset fix {Markup.Escape(report.Dataset)} --from {Markup.Escape(jsonPath)} --out review.csv'[/]");
    }
}
