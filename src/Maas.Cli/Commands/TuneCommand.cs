using System.CommandLine;
using System.Globalization;
using Maas.Core;
using Maas.Core.Errors;
using Maas.Core.Pipelines;
using Maas.Workflows.Tuning;
using Spectre.Console;

namespace Maas.Cli.Commands;

/// <summary><c>maas tune NAME@V --space FILE --budget-minutes M</c>: search hyperparameters, keep and register the best run.</summary>
internal static class TuneCommand
{
    public static Command Create()
    {
        var dataset = new Argument<string>("dataset") { Description = "NAME@VERSION of the dataset (NAME alone means its latest version)." };
        var space = new Option<string>("--space") { Description = "The search space (JSON or YAML): architectures and hyperparameters with choices or ranges.", Required = true };
        var budget = new Option<double>("--budget-minutes") { Description = "Wall-clock minutes for the search; the best trial is then finished.", Required = true };
        var seed = new Option<long>("--seed") { Description = "Seed for drawing configurations; trial n trains with seed + n.", DefaultValueFactory = _ => 42 };
        var trials = new Option<int>("--trials") { Description = "The most configurations to draw.", DefaultValueFactory = _ => 27 };
        var pipeline = new Option<string?>("--pipeline") { Description = "A pipeline spec (JSON or YAML) for every trial." };
        var register = new Option<string?>("--register") { Description = "Register the best run as the next version of this model and point its 'production' alias at it." };
        var command = new Command("tune", "Search hyperparameters by random search with successive halving (rungs at 1, 3 and 9 epochs) within a time budget.")
        {
            dataset, space, budget, seed, trials, pipeline, register,
        };
        command.SetAction(CliContext.Action(async (parse, ct) =>
        {
            var minutes = parse.GetValue(budget);
            if (!(minutes > 0 && minutes <= 100_000))
            {
                throw new InvalidInputException($"--budget-minutes {minutes}: give a positive number of minutes.");
            }

            if (parse.GetValue(trials) < 1)
            {
                throw new InvalidInputException($"--trials {parse.GetValue(trials)}: give 1 or more.");
            }

            var request = new TuningRequest(VersionedName.Parse(parse.GetValue(dataset)!, "dataset"), SearchSpace.Load(parse.GetValue(space)!), TimeSpan.FromMinutes(minutes))
            {
                Seed = parse.GetValue(seed),
                MaxTrials = parse.GetValue(trials),
                Pipeline = parse.GetValue(pipeline) is { } path ? PipelineSpec.Load(path) : null,
                RegisterAs = parse.GetValue(register),
            };
            var json = parse.GetValue(CliContext.Json);
            using var stores = CliContext.OpenStores();
            var job = new TuningJob(stores);
            TuningOutcome outcome;
            if (json)
            {
                outcome = await job.RunAsync(request, null, ct);
                CliContext.WriteJson(new
                {
                    tune = outcome.TuneId,
                    best_run = outcome.Best.RunId,
                    registered = outcome.BestRun.Registered?.Reference,
                    registration_failed = outcome.BestRun.RegistrationFailed is { } failed ? new { model = failed.Model, reason = failed.Reason, retry = failed.Retry } : null,
                    evaluated_split = outcome.BestRun.EvaluatedSplit,
                    evaluation_accuracy = outcome.BestRun.Evaluation.Accuracy,
                    elapsed_seconds = outcome.Elapsed.TotalSeconds,
                    trials = outcome.Trials.Select(Describe),
                });
                return outcome.BestRun.RegistrationFailed?.ExitCode ?? ExitCodes.Success;
            }

            if (AnsiConsole.Profile.Capabilities.Interactive)
            {
                var table = Leaderboard([]);
                outcome = null!;
                await AnsiConsole.Live(table).StartAsync(async context =>
                {
                    outcome = await job.RunAsync(request, new InlineProgress<TuningLeaderboard>(board =>
                    {
                        Fill(table, board.Trials);
                        context.Refresh();
                    }), ct);
                    Fill(table, outcome.Trials);
                });
            }
            else
            {
                // Without a terminal a redrawn table would repeat itself: one line per finished rung instead.
                outcome = await job.RunAsync(request, new InlineProgress<TuningLeaderboard>(board => Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"trial {board.Latest.Number}: {board.Latest.Epochs} epochs, accuracy {board.Latest.Accuracy:0.0000}, {board.Latest.Status} ({Summary(board.Latest.Options)}); best {board.Trials[0].Number} at {board.Trials[0].Accuracy:0.0000}"))), ct);
                AnsiConsole.Write(Leaderboard(outcome.Trials));
            }

            AnsiConsole.MarkupLine($"Tuning [bold]{outcome.TuneId}[/]: best trial {outcome.Best.Number}, run [bold]{outcome.Best.RunId}[/], "
                + string.Create(CultureInfo.InvariantCulture, $"{outcome.BestRun.EvaluatedSplit} accuracy {outcome.BestRun.Evaluation.Accuracy:0.0000}"));
            if (outcome.BestRun.Registered is { } registered)
            {
                AnsiConsole.MarkupLine($"Registered [bold green]{Markup.Escape(registered.Reference)}[/] and moved [bold]{registered.Model}@production[/] to it.");
            }

            if (outcome.BestRun.RegistrationFailed is { } failure)
            {
                CliContext.WriteError($"run {outcome.Best.RunId} completed, but registering it as '{failure.Model}' failed: {failure.Reason}");
                Console.Error.WriteLine($"hint: the run keeps its model; retry the registration with: {failure.Retry}");
                return failure.ExitCode;
            }

            return ExitCodes.Success;
        }));
        return command;
    }

    private static object Describe(TuningTrial t) => new
    {
        trial = t.Number,
        run = t.RunId,
        status = t.Status,
        epochs = t.Epochs,
        accuracy = t.Accuracy,
        architecture = t.Options.Architecture,
        optimizer = t.Options.Optimizer,
        learning_rate = t.Options.LearningRate,
        weight_decay = t.Options.WeightDecay,
        batch_size = t.Options.BatchSize,
        schedule = t.Options.Schedule,
        label_smoothing = t.Options.LabelSmoothing,
    };

    private static Table Leaderboard(IReadOnlyList<TuningTrial> trials)
    {
        var table = new Table().AddColumns("#", "trial", "run", "epochs", "accuracy", "status", "configuration");
        Fill(table, trials);
        return table;
    }

    private static void Fill(Table table, IReadOnlyList<TuningTrial> trials)
    {
        table.Rows.Clear();
        for (var i = 0; i < trials.Count; i++)
        {
            var t = trials[i];
            table.AddRow((i + 1).ToString(CultureInfo.InvariantCulture), t.Number.ToString(CultureInfo.InvariantCulture), Markup.Escape(t.RunId),
                t.Epochs.ToString(CultureInfo.InvariantCulture), t.Accuracy.ToString("0.0000", CultureInfo.InvariantCulture), t.Status, Markup.Escape(Summary(t.Options)));
        }
    }

    private static string Summary(Maas.Training.TrainingOptions o) => string.Create(CultureInfo.InvariantCulture,
        $"{o.Architecture} {o.Optimizer} lr {o.LearningRate:G3} wd {o.WeightDecay:G3} bs {o.BatchSize} {o.Schedule} ls {o.LabelSmoothing:G3}");
}
