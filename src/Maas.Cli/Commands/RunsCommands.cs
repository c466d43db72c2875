using System.CommandLine;
using System.Globalization;
using Maas.Cli.Plots;
using Maas.Core.Errors;
using Maas.Core.Runs;
using Maas.Storage;
using Spectre.Console;

namespace Maas.Cli.Commands;

/// <summary><c>maas runs list|show|compare</c>: what training runs were given and what they measured.</summary>
internal static class RunsCommands
{
    private sealed record RunSummary(string Id, string Dataset, string Architecture, RunStatus Status, double? BestValidationAccuracy,
        double? FinalValidationAccuracy, double? TestAccuracy, double? DurationSeconds, DateTimeOffset CreatedAt);

    private sealed record RunArtifact(string Path, long Bytes);

    private sealed record RunDetail(RunSummary Summary, string Seed, string? Pipeline, IReadOnlyDictionary<string, string> Parameters,
        IReadOnlyDictionary<string, double> Metrics, IReadOnlyList<EpochMetrics> Epochs, string ArtifactPath, IReadOnlyList<RunArtifact> Artifacts);

    private sealed record RunComparison(IReadOnlyList<RunSummary> Runs, IReadOnlyDictionary<string, IReadOnlyList<double?>> Metrics,
        IReadOnlyDictionary<string, IReadOnlyList<string?>> Parameters, IReadOnlyList<string> DifferingParameters,
        IReadOnlyDictionary<string, IReadOnlyList<EpochMetrics>> Epochs, string? Plot);

    // The pipeline is a JSON document of its own, shown apart from the one-line parameters.
    private const string PipelineParameter = "pipeline";

    public static Command Create()
    {
        var command = new Command("runs", "Inspect and compare training runs: parameters, per-epoch metrics, artifacts.");
        command.Subcommands.Add(List());
        command.Subcommands.Add(Show());
        command.Subcommands.Add(Compare());
        return command;
    }

    private static RunSummary Summarize(Run run, IReadOnlyList<EpochMetrics> epochs)
    {
        var validation = epochs.Where(e => e.ValidationAccuracy is not null).Select(e => e.ValidationAccuracy!.Value).ToList();
        return new RunSummary(run.Id, run.Dataset, run.Parameters.GetValueOrDefault("architecture", "-"), run.Status,
            validation.Count > 0 ? validation.Max() : null, validation.Count > 0 ? validation[^1] : null,
            run.Metrics.TryGetValue("test_accuracy", out var test) ? test : null,
            run.FinishedAt is { } finished ? (finished - run.CreatedAt).TotalSeconds : null, run.CreatedAt);
    }

    private static async Task<(Run Run, IReadOnlyList<EpochMetrics> Epochs)> LoadAsync(MaasStores stores, string id, CancellationToken ct)
    {
        Run run;
        try
        {
            run = await stores.Runs.GetAsync(id, ct);
        }
        catch (NotFoundException)
        {
            throw new NotFoundException($"run '{id}' does not exist; 'maas runs list' shows the runs there are.");
        }

        return (run, await stores.Runs.GetEpochsAsync(id, ct));
    }

    private static Command List()
    {
        var command = new Command("list", "List every training run, newest first, with its status and accuracies.");
        command.SetAction(CliContext.Action(async (parse, ct) =>
        {
            using var stores = CliContext.OpenStores();
            var summaries = new List<RunSummary>();
            foreach (var run in await stores.Runs.ListAsync(ct))
            {
                summaries.Add(Summarize(run, await stores.Runs.GetEpochsAsync(run.Id, ct)));
            }

            if (parse.GetValue(CliContext.Json))
            {
                CliContext.WriteJson(summaries);
                return ExitCodes.Success;
            }

            var table = new Table().AddColumns("run", "dataset", "architecture", "status", "best val acc", "final val acc", "test acc", "duration", "created");
            foreach (var s in summaries)
            {
                table.AddRow(Markup.Escape(s.Id), Markup.Escape(s.Dataset), Markup.Escape(s.Architecture), Status(s.Status), F(s.BestValidationAccuracy),
                    F(s.FinalValidationAccuracy), F(s.TestAccuracy), Duration(s.DurationSeconds), s.CreatedAt.ToString("u", CultureInfo.InvariantCulture));
            }

            AnsiConsole.Write(table);
            foreach (var s in summaries.Where(s => s.Status == RunStatus.Interrupted))
            {
                // Plain and unwrapped, so the command can be copied whole.
                Console.Out.WriteLine($"{s.Id} was interrupted; {ResumeHint(s.Id)}");
            }

            return ExitCodes.Success;
        }));
        return command;
    }

    private static string ResumeHint(string runId) => $"resume with: maas train --resume {runId}";

    private static Command Show()
    {
        var id = new Argument<string>("run") { Description = "The run id, e.g. run_20261129_101500_1a2b." };
        var command = new Command("show", "Show one run: parameters, seed, dataset, pipeline, per-epoch metrics and artifacts.") { id };
        command.SetAction(CliContext.Action(async (parse, ct) =>
        {
            using var stores = CliContext.OpenStores();
            var (run, epochs) = await LoadAsync(stores, parse.GetValue(id)!, ct);
            var folder = Path.Combine(stores.Home.ArtifactsPath, run.ArtifactDir);
            var artifacts = Directory.Exists(folder)
                ? Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal)
                    .Select(f => new RunArtifact(Path.GetRelativePath(folder, f), new FileInfo(f).Length)).ToList()
                : [];
            var detail = new RunDetail(Summarize(run, epochs), run.Parameters.GetValueOrDefault("seed", "-"), run.Parameters.GetValueOrDefault(PipelineParameter),
                run.Parameters, run.Metrics, epochs, folder, artifacts);
            if (parse.GetValue(CliContext.Json))
            {
                CliContext.WriteJson(detail);
                return ExitCodes.Success;
            }

            var s = detail.Summary;
            var grid = new Grid().AddColumns(2);
            grid.AddRow("[bold]run[/]", Markup.Escape(s.Id));
            grid.AddRow("status", s.Status == RunStatus.Interrupted ? $"{Status(s.Status)}; {Markup.Escape(ResumeHint(s.Id))}" : Status(s.Status));
            grid.AddRow("dataset", Markup.Escape(s.Dataset));
            grid.AddRow("seed", Markup.Escape(detail.Seed));
            grid.AddRow("created", s.CreatedAt.ToString("u", CultureInfo.InvariantCulture));
            grid.AddRow("duration", Duration(s.DurationSeconds));
            grid.AddRow("parameters", Markup.Escape(string.Join(", ",
                run.Parameters.Where(p => p.Key != PipelineParameter).OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}"))));
            grid.AddRow("metrics", Markup.Escape(string.Join(", ",
                run.Metrics.OrderBy(m => m.Key, StringComparer.Ordinal).Select(m => string.Create(CultureInfo.InvariantCulture, $"{m.Key}={m.Value:0.####}")))));
            grid.AddRow("pipeline", Markup.Escape(detail.Pipeline ?? "-"));
            AnsiConsole.Write(grid);
            AnsiConsole.Write(EpochTable(epochs));
            var files = new Table().AddColumns("artifact", "bytes");
            foreach (var a in artifacts)
            {
                files.AddRow(Markup.Escape(a.Path), a.Bytes.ToString("N0", CultureInfo.InvariantCulture));
            }

            AnsiConsole.MarkupLine($"Artifacts in {Markup.Escape(folder)}");
            AnsiConsole.Write(files);
            return ExitCodes.Success;
        }));
        return command;
    }

    private static Command Compare()
    {
        var ids = new Argument<string[]>("runs") { Description = "Two or more run ids.", Arity = new ArgumentArity(2, 32) };
        var plot = new Option<string?>("--plot") { Description = "Also draw the learning curves (loss and accuracy per epoch) into this .svg or .png file." };
        var command = new Command("compare", "Compare runs side by side: metrics, the parameters that differ, and their learning curves.") { ids, plot };
        command.SetAction(CliContext.Action(async (parse, ct) =>
        {
            using var stores = CliContext.OpenStores();
            var loaded = new List<(Run Run, IReadOnlyList<EpochMetrics> Epochs)>();
            foreach (var id in parse.GetValue(ids)!)
            {
                loaded.Add(await LoadAsync(stores, id, ct));
            }

            var metricNames = loaded.SelectMany(l => l.Run.Metrics.Keys).Distinct().Order(StringComparer.Ordinal).ToList();
            var metrics = metricNames.ToDictionary(m => m,
                m => (IReadOnlyList<double?>)loaded.Select(l => l.Run.Metrics.TryGetValue(m, out var v) ? v : (double?)null).ToList());
            var parameterNames = loaded.SelectMany(l => l.Run.Parameters.Keys).Distinct().Order(StringComparer.Ordinal).ToList();
            var parameters = parameterNames.ToDictionary(p => p, p => (IReadOnlyList<string?>)loaded.Select(l => l.Run.Parameters.GetValueOrDefault(p)).ToList());
            var differing = parameterNames.Where(p => parameters[p].Distinct().Count() > 1).ToList();
            var plotPath = parse.GetValue(plot);
            if (plotPath is not null)
            {
                LearningCurveChart.Create(loaded.Select(l => (l.Run.Id, l.Epochs)).ToList()).Write(plotPath, "--plot");
            }

            var comparison = new RunComparison(loaded.Select(l => Summarize(l.Run, l.Epochs)).ToList(), metrics, parameters, differing,
                loaded.GroupBy(l => l.Run.Id).ToDictionary(g => g.Key, g => g.First().Epochs), plotPath is null ? null : Path.GetFullPath(plotPath));
            if (parse.GetValue(CliContext.Json))
            {
                CliContext.WriteJson(comparison);
                return ExitCodes.Success;
            }

            var runColumns = loaded.Select(l => Markup.Escape(l.Run.Id)).ToArray();
            var metricTable = new Table().AddColumn("metric").AddColumns(runColumns);
            foreach (var s in new[] { ("status", comparison.Runs.Select(r => Status(r.Status))), ("dataset", comparison.Runs.Select(r => Markup.Escape(r.Dataset))),
                ("best val acc", comparison.Runs.Select(r => F(r.BestValidationAccuracy))), ("duration", comparison.Runs.Select(r => Duration(r.DurationSeconds))) })
            {
                metricTable.AddRow([s.Item1, .. s.Item2]);
            }

            foreach (var m in metricNames)
            {
                metricTable.AddRow([Markup.Escape(m), .. metrics[m].Select(F)]);
            }

            AnsiConsole.Write(metricTable);
            var parameterTable = new Table().AddColumn("parameter").AddColumns(runColumns);
            foreach (var p in parameterNames.Where(p => p != PipelineParameter))
            {
                bool differs = differing.Contains(p);
                parameterTable.AddRow([differs ? $"[bold yellow]{Markup.Escape(p)}[/]" : Markup.Escape(p),
                    .. parameters[p].Select(v => differs ? $"[yellow]{Markup.Escape(v ?? "-")}[/]" : Markup.Escape(v ?? "-"))]);
            }

            AnsiConsole.Write(parameterTable);
            AnsiConsole.MarkupLine(differing.Count == 0
                ? "The runs were given the same parameters."
                : $"Parameters that differ: [yellow]{Markup.Escape(string.Join(", ", differing))}[/]");
            if (comparison.Plot is { } written)
            {
                AnsiConsole.MarkupLine($"Learning curves written to {Markup.Escape(written)}");
            }

            return ExitCodes.Success;
        }));
        return command;
    }

    private static Table EpochTable(IReadOnlyList<EpochMetrics> epochs)
    {
        var table = new Table().AddColumns("epoch", "lr", "train loss", "train acc", "val loss", "val acc", "img/s", "data wait");
        foreach (var e in epochs)
        {
            table.AddRow(e.Epoch.ToString(CultureInfo.InvariantCulture), e.LearningRate.ToString("G3", CultureInfo.InvariantCulture), F(e.TrainLoss),
                F(e.TrainAccuracy), F(e.ValidationLoss), F(e.ValidationAccuracy), e.ImagesPerSecond.ToString("N0", CultureInfo.InvariantCulture),
                e.DataWaitSeconds is { } wait ? wait.ToString("0.00s", CultureInfo.InvariantCulture) : "-");
        }

        return table;
    }

    private static string Status(RunStatus status) => status switch
    {
        RunStatus.Completed => "[green]completed[/]",
        RunStatus.Failed => "[red]failed[/]",
        RunStatus.Cancelled => "[yellow]cancelled[/]",
        RunStatus.Paused => "[yellow]paused[/]",
        RunStatus.Interrupted => "[red]interrupted[/]",
        _ => "running",
    };

    private static string F(double? value) => value is { } v ? v.ToString("0.0000", CultureInfo.InvariantCulture) : "-";

    private static string Duration(double? seconds) => seconds is { } s
        ? TimeSpan.FromSeconds(s).ToString(s >= 3600 ? @"h\:mm\:ss" : @"m\:ss", CultureInfo.InvariantCulture)
        : "-";
}
