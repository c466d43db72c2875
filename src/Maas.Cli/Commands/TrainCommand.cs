using System.CommandLine;
using System.Globalization;
using Maas.Core;
using Maas.Core.Errors;
using Maas.Training;
using Maas.Training.Jobs;
using Maas.Training.Networks;
using Spectre.Console;

namespace Maas.Cli.Commands;

/// <summary><c>maas train NAME@V</c>: train, evaluate, export and optionally register.</summary>
internal static class TrainCommand
{
    public static Command Create()
    {
        var dataset = new Argument<string>("dataset") { Description = "NAME@VERSION of the dataset (NAME alone means its latest version)." };
        var model = new Option<string>("--model") { Description = $"Architecture: {string.Join(", ", Architectures.Names)}.", DefaultValueFactory = _ => Architectures.Default };
        var epochs = new Option<int>("--epochs") { Description = "Passes over the training split.", DefaultValueFactory = _ => 3 };
        var batch = new Option<int>("--batch-size") { Description = "Images per optimizer step.", DefaultValueFactory = _ => 128 };
        var lr = new Option<double>("--lr") { Description = "AdamW learning rate.", DefaultValueFactory = _ => 1e-3 };
        var seed = new Option<long>("--seed") { Description = "Seed for initialization and shuffling; the same seed reproduces the run.", DefaultValueFactory = _ => 42 };
        var minutes = new Option<double?>("--max-minutes") { Description = "Stop training after this many minutes and keep what was learned." };
        var register = new Option<string?>("--register") { Description = "Register the result as the next version of this model and point its 'production' alias at it." };
        var command = new Command("train", "Train a classifier on a dataset version, evaluate it on the test split, export ONNX, and register it.")
        {
            dataset, model, epochs, batch, lr, seed, minutes, register,
        };
        command.SetAction(CliContext.Action(async (parse, ct) =>
        {
            var maxMinutes = parse.GetValue(minutes);
            if (maxMinutes is <= 0 or > 100_000)
            {
                throw new InvalidInputException($"--max-minutes {maxMinutes}: give a positive number of minutes.");
            }

            var options = new TrainingOptions
            {
                Architecture = parse.GetValue(model)!,
                Epochs = parse.GetValue(epochs),
                BatchSize = parse.GetValue(batch),
                LearningRate = parse.GetValue(lr),
                Seed = parse.GetValue(seed),
                MaxDuration = maxMinutes is { } m ? TimeSpan.FromMinutes(m) : null,
            };
            var request = new TrainingRequest(VersionedName.Parse(parse.GetValue(dataset)!, "dataset"), options, parse.GetValue(register));
            var outcome = await RunAsync(request, parse.GetValue(CliContext.Json), ct);
            if (parse.GetValue(CliContext.Json))
            {
                CliContext.WriteJson(new
                {
                    run = outcome.Run.Id,
                    dataset = outcome.Run.Dataset,
                    status = outcome.Run.Status,
                    metrics = outcome.Run.Metrics,
                    epochs = outcome.Epochs,
                    evaluated_split = outcome.EvaluatedSplit,
                    evaluation = outcome.Evaluation,
                    registered = outcome.Registered?.Reference,
                    stopped_by_time_budget = outcome.StoppedByTimeBudget,
                });
            }
            else
            {
                WriteSummary(outcome);
            }

            return ExitCodes.Success;
        }));
        return command;
    }

    /// <summary>Runs a training job with a progress display.</summary>
    public static Task<TrainingOutcome> RunAsync(TrainingRequest request, bool json, CancellationToken cancellationToken) =>
        ProgressDisplay.RunAsync(json, (report, token) =>
            new TrainingJob(CliContext.OpenStores()).RunAsync(request, new InlineProgress<TrainingJobProgress>(p =>
                report(p.Stage, p.Done, p.Total, p.Step is { } s
                    ? string.Create(CultureInfo.InvariantCulture, $"epoch {s.Epoch}/{s.EpochCount} loss {s.RunningLoss:0.000} acc {s.RunningAccuracy:0.000} {s.ImagesPerSecond:N0} img/s")
                    : null)), token), cancellationToken);

    public static void WriteSummary(TrainingOutcome outcome)
    {
        var epochs = new Table().AddColumns("epoch", "train loss", "train acc", "val loss", "val acc", "img/s");
        foreach (var e in outcome.Epochs)
        {
            epochs.AddRow(e.Epoch.ToString(CultureInfo.InvariantCulture), F(e.TrainLoss), F(e.TrainAccuracy),
                e.ValidationLoss is { } vl ? F(vl) : "-", e.ValidationAccuracy is { } va ? F(va) : "-", e.ImagesPerSecond.ToString("N0", CultureInfo.InvariantCulture));
        }

        AnsiConsole.MarkupLine($"Run [bold]{outcome.Run.Id}[/] on {Markup.Escape(outcome.Run.Dataset)}{(outcome.StoppedByTimeBudget ? " [yellow](stopped by the time budget)[/]" : "")}");
        AnsiConsole.Write(epochs);
        var report = outcome.Evaluation;
        AnsiConsole.MarkupLine($"[bold]{outcome.EvaluatedSplit} accuracy {report.Accuracy:0.0000}[/] on {report.SampleCount:N0} images, macro F1 {report.MacroF1:0.0000}");
        var classes = new Table().AddColumns("class", "precision", "recall", "F1", "support");
        foreach (var c in report.Classes)
        {
            classes.AddRow(Markup.Escape(c.Name), F(c.Precision), F(c.Recall), F(c.F1), c.Support.ToString("N0", CultureInfo.InvariantCulture));
        }

        AnsiConsole.Write(classes);
        var confusion = new Table().AddColumn("true \\ predicted");
        for (var j = 0; j < report.ConfusionMatrix.Length; j++)
        {
            confusion.AddColumn(new TableColumn(j.ToString(CultureInfo.InvariantCulture)).RightAligned());
        }

        for (var i = 0; i < report.ConfusionMatrix.Length; i++)
        {
            confusion.AddRow([$"{i} {Markup.Escape(report.Classes[i].Name)}",
                .. report.ConfusionMatrix[i].Select((n, j) => i == j ? $"[green]{n}[/]" : n.ToString(CultureInfo.InvariantCulture))]);
        }

        AnsiConsole.Write(confusion);
        if (outcome.Registered is { } registered)
        {
            AnsiConsole.MarkupLine($"Registered [bold green]{Markup.Escape(registered.Reference)}[/] and moved [bold]{registered.Model}@production[/] to it.");
        }
    }

    private static string F(double value) => value.ToString("0.0000", CultureInfo.InvariantCulture);
}
