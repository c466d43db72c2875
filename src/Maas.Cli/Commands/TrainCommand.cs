using System.CommandLine;
using System.Globalization;
using Maas.Core;
using Maas.Core.Errors;
using Maas.Core.Pipelines;
using Maas.Training;
using Maas.Training.Networks;
using Maas.Training.Pretrained;
using Maas.Workflows.Training;
using Spectre.Console;

namespace Maas.Cli.Commands;

/// <summary><c>maas train NAME@V</c>: train, evaluate, export and optionally register.</summary>
internal static class TrainCommand
{
    public static Command Create()
    {
        var dataset = new Argument<string?>("dataset") { Description = "NAME@VERSION of the dataset (NAME alone means its latest version).", Arity = ArgumentArity.ZeroOrOne };
        var resume = new Option<string?>("--resume") { Description = "Continue a cancelled, failed or killed run from its last checkpoint, with its own recorded parameters, dataset version and pipeline." };
        var model = new Option<string>("--model", "--arch") { Description = $"Architecture: {string.Join(", ", Architectures.Names)}.", DefaultValueFactory = _ => Architectures.Default };
        var epochs = new Option<int>("--epochs") { Description = "Passes over the training split.", DefaultValueFactory = _ => 3 };
        var batch = new Option<int>("--batch-size") { Description = "Images per optimizer step.", DefaultValueFactory = _ => 128 };
        var lr = new Option<double>("--lr") { Description = "Peak learning rate (the schedule and warm-up scale it).", DefaultValueFactory = _ => 1e-3 };
        var optimizer = new Option<string>("--optimizer") { Description = $"Optimizer: {string.Join(", ", TrainingOptions.Optimizers)}.", DefaultValueFactory = _ => "adamw" };
        var momentum = new Option<double>("--momentum") { Description = "SGD momentum, in [0, 1).", DefaultValueFactory = _ => 0.9 };
        var nesterov = new Option<bool>("--nesterov") { Description = "Use Nesterov momentum with SGD." };
        var weightDecay = new Option<double>("--weight-decay") { Description = "Weight decay (decoupled for AdamW, L2 for SGD).", DefaultValueFactory = _ => 1e-2 };
        var schedule = new Option<string>("--schedule") { Description = $"Learning-rate schedule: {string.Join(", ", TrainingOptions.Schedules)}.", DefaultValueFactory = _ => "constant" };
        var warmup = new Option<string?>("--warmup") { Description = "Linear warm-up: epochs (2, 0.5) or steps (300steps)." };
        var labelSmoothing = new Option<double>("--label-smoothing") { Description = "Label smoothing of the training loss, in [0, 1)." };
        var clip = new Option<double?>("--clip-grad-norm") { Description = "Clip gradients to this global L2 norm." };
        var patience = new Option<int?>("--patience") { Description = "Stop when the validation loss has not improved for this many epochs, keeping the best weights." };
        var pretrained = new Option<string?>("--pretrained") { Description = "Start from pretrained weights: imagenet (with --model resnet18)." };
        var freeze = new Option<bool>("--freeze-backbone") { Description = "With --pretrained: train only the new head." };
        var seed = new Option<long>("--seed") { Description = "Seed for initialization and shuffling; the same seed reproduces the run.", DefaultValueFactory = _ => 42 };
        var minutes = new Option<double?>("--max-minutes") { Description = "Stop training after this many minutes and keep what was learned." };
        var pipeline = new Option<string?>("--pipeline") { Description = "A pipeline spec (JSON or YAML): preprocessing, augmentation and normalization. The default resizes and normalizes to [-1, 1]." };
        var register = new Option<string?>("--register") { Description = "Register the result as the next version of this model and point its 'production' alias at it." };
        var command = new Command("train", "Train a classifier on a dataset version, evaluate it on the test split, export ONNX, and register it.")
        {
            dataset, model, epochs, batch, lr, optimizer, momentum, nesterov, weightDecay, schedule, warmup, labelSmoothing, clip, patience,
            pretrained, freeze, seed, minutes, pipeline, register, resume,
        };
        Option[] trainingFlags = [model, epochs, batch, lr, optimizer, momentum, nesterov, weightDecay, schedule, warmup, labelSmoothing, clip, patience,
            pretrained, freeze, seed, minutes, pipeline, register];
        command.SetAction(CliContext.Action(async (parse, ct) =>
        {
            if (parse.GetValue(resume) is { } runId)
            {
                // A resumed run keeps what it recorded; a flag that would change it is refused rather than ignored.
                var given = parse.GetValue(dataset) is not null ? "the dataset argument"
                    : trainingFlags.FirstOrDefault(f => parse.GetResult(f) is { Implicit: false })?.Name;
                if (given is not null)
                {
                    throw new InvalidInputException($"--resume {runId} continues with the run's own dataset and parameters; drop {given}.");
                }

                using var stores = CliContext.OpenStores();
                return Report(await ProgressDisplay.RunAsync(parse.GetValue(CliContext.Json), (report, token) =>
                    new TrainingJob(stores).ResumeAsync(runId, Reporter(report), token), ct), parse.GetValue(CliContext.Json));
            }

            if (parse.GetValue(dataset) is null)
            {
                throw new InvalidInputException("Give the dataset to train on (NAME@VERSION), or --resume RUN.");
            }

            var maxMinutes = parse.GetValue(minutes);
            if (maxMinutes is <= 0 or > 100_000)
            {
                throw new InvalidInputException($"--max-minutes {maxMinutes}: give a positive number of minutes.");
            }

            var (warmupEpochs, warmupSteps) = ParseWarmup(parse.GetValue(warmup));
            var options = new TrainingOptions
            {
                Architecture = parse.GetValue(model)!,
                Epochs = parse.GetValue(epochs),
                BatchSize = parse.GetValue(batch),
                LearningRate = parse.GetValue(lr),
                Optimizer = parse.GetValue(optimizer)!,
                Momentum = parse.GetValue(momentum),
                Nesterov = parse.GetValue(nesterov),
                WeightDecay = parse.GetValue(weightDecay),
                Schedule = parse.GetValue(schedule)!,
                WarmupEpochs = warmupEpochs,
                WarmupSteps = warmupSteps,
                LabelSmoothing = parse.GetValue(labelSmoothing),
                ClipGradNorm = parse.GetValue(clip),
                Patience = parse.GetValue(patience),
                Pretrained = parse.GetValue(pretrained),
                FreezeBackbone = parse.GetValue(freeze),
                Seed = parse.GetValue(seed),
                MaxDuration = maxMinutes is { } m ? TimeSpan.FromMinutes(m) : null,
            };
            ValidateFlags(options);
            var spec = parse.GetValue(pipeline) is { } pipelinePath ? PipelineSpec.Load(pipelinePath) : null;
            var request = new TrainingRequest(VersionedName.Parse(parse.GetValue(dataset)!, "dataset"), options, parse.GetValue(register), spec);
            return Report(await RunAsync(request, parse.GetValue(CliContext.Json), ct), parse.GetValue(CliContext.Json));
        }));
        return command;
    }

    private static int Report(TrainingOutcome outcome, bool json)
    {
        if (json)
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
                registration_failed = outcome.RegistrationFailed is { } failed ? new { model = failed.Model, reason = failed.Reason, retry = failed.Retry } : null,
                stopped_by_time_budget = outcome.StoppedByTimeBudget,
            });
        }
        else
        {
            WriteSummary(outcome);
        }

        if (outcome.RegistrationFailed is { } failure)
        {
            // The run completed and keeps its metrics and files; only the registration is to be redone.
            CliContext.WriteError($"run {outcome.Run.Id} completed, but registering it as '{failure.Model}' failed: {failure.Reason}");
            Console.Error.WriteLine($"hint: the run keeps its model; retry the registration with: {failure.Retry}");
            return failure.ExitCode;
        }

        return ExitCodes.Success;
    }

    // Checks the options before any data is read, naming the flag the user typed rather than the option's name.
    private static void ValidateFlags(TrainingOptions options)
    {
        static void Check(bool ok, string message)
        {
            if (!ok)
            {
                throw new InvalidInputException(message);
            }
        }

        Check(Architectures.Names.Contains(options.Architecture), $"--model/--arch '{options.Architecture}': unknown architecture; known architectures are: {string.Join(", ", Architectures.Names)}.");
        Check(options.Epochs >= 1, $"--epochs {options.Epochs}: give 1 or more.");
        Check(options.BatchSize >= 1, $"--batch-size {options.BatchSize}: give 1 or more.");
        Check(options.LearningRate > 0 && double.IsFinite(options.LearningRate), $"--lr {options.LearningRate}: give a positive number.");
        Check(TrainingOptions.Optimizers.Contains(options.Optimizer), $"--optimizer '{options.Optimizer}': known optimizers are: {string.Join(", ", TrainingOptions.Optimizers)}.");
        Check(options.Momentum is >= 0 and < 1, $"--momentum {options.Momentum}: give a number in [0, 1).");
        Check(!options.Nesterov || (options.Optimizer == "sgd" && options.Momentum > 0), "--nesterov needs --optimizer sgd and a --momentum above 0.");
        Check(options.WeightDecay >= 0 && double.IsFinite(options.WeightDecay), $"--weight-decay {options.WeightDecay}: give 0 or a positive number.");
        Check(TrainingOptions.Schedules.Contains(options.Schedule), $"--schedule '{options.Schedule}': known schedules are: {string.Join(", ", TrainingOptions.Schedules)}.");
        Check(options.LabelSmoothing is >= 0 and < 1, $"--label-smoothing {options.LabelSmoothing}: give a number in [0, 1).");
        Check(options.ClipGradNorm is null or > 0 && !double.IsInfinity(options.ClipGradNorm ?? 0), $"--clip-grad-norm {options.ClipGradNorm}: give a positive number.");
        Check(options.Patience is null or >= 1, $"--patience {options.Patience}: give 1 or more epochs.");
        Check(options.Pretrained is null or ImageNetResNet18.Name, $"--pretrained '{options.Pretrained}': the pretrained weights available are: {ImageNetResNet18.Name}.");
        Check(options.Pretrained is null || options.Architecture == Architectures.ResNet18, $"--pretrained {options.Pretrained} needs --model/--arch {Architectures.ResNet18}, not '{options.Architecture}'.");
        Check(!options.FreezeBackbone || options.Pretrained is not null, "--freeze-backbone needs --pretrained.");
        options.Validate();
    }

    // "--warmup 2" or "2epochs" is epochs (a fraction is allowed); "300steps" is optimizer steps.
    private static (double Epochs, int Steps) ParseWarmup(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return (0, 0);
        }

        var value = text.Trim().ToLowerInvariant();
        if (value.EndsWith("steps", StringComparison.Ordinal) || value.EndsWith("step", StringComparison.Ordinal))
        {
            if (int.TryParse(value.TrimEnd('s')[..^4], NumberStyles.None, CultureInfo.InvariantCulture, out int steps))
            {
                return (0, steps);
            }
        }
        else
        {
            var number = value.EndsWith("epochs", StringComparison.Ordinal) ? value[..^6] : value.EndsWith("epoch", StringComparison.Ordinal) ? value[..^5] : value;
            if (double.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out double epochs) && double.IsFinite(epochs))
            {
                return (epochs, 0);
            }
        }

        throw new InvalidInputException($"--warmup '{text}': give epochs (2, 0.5, 1epochs) or steps (300steps).");
    }

    /// <summary>Runs a training job with a progress display.</summary>
    public static async Task<TrainingOutcome> RunAsync(TrainingRequest request, bool json, CancellationToken cancellationToken)
    {
        using var stores = CliContext.OpenStores();
        return await ProgressDisplay.RunAsync(json, (report, token) => new TrainingJob(stores).RunAsync(request, Reporter(report), token), cancellationToken);
    }

    private static InlineProgress<TrainingJobProgress> Reporter(ProgressDisplay.Report report) =>
        new(p => report(p.Stage, p.Done, p.Total, p.Step is { } s
            ? string.Create(CultureInfo.InvariantCulture, $"epoch {s.Epoch}/{s.EpochCount} loss {s.RunningLoss:0.000} acc {s.RunningAccuracy:0.000} {s.ImagesPerSecond:N0} img/s")
            : null));

    public static void WriteSummary(TrainingOutcome outcome)
    {
        var epochs = new Table().AddColumns("epoch", "lr", "train loss", "train acc", "val loss", "val acc", "img/s");
        foreach (var e in outcome.Epochs)
        {
            epochs.AddRow(e.Epoch.ToString(CultureInfo.InvariantCulture), e.LearningRate.ToString("G3", CultureInfo.InvariantCulture), F(e.TrainLoss), F(e.TrainAccuracy),
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
