using System.Globalization;
using Maas.Core;
using Maas.Core.Errors;
using Maas.Core.Pipelines;
using Maas.Core.Runs;
using Maas.Training;

namespace Maas.Workflows.Training;

/// <summary>
/// A training request as the printable parameters of its run, and back: <c>maas train --resume</c> continues a run
/// with exactly what it recorded, so what a run shows is what it was trained with.
/// </summary>
public static class RunParameters
{
    private const string None = "none";

    /// <summary>The parameters recorded for a run of <paramref name="request"/> with its resolved <paramref name="pipeline"/>.</summary>
    public static Dictionary<string, string> Of(TrainingRequest request, PipelineSpec pipeline)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(pipeline);
        var o = request.Options;
        var parameters = new Dictionary<string, string>
        {
            ["architecture"] = o.Architecture,
            ["epochs"] = Text(o.Epochs),
            ["batch_size"] = Text(o.BatchSize),
            ["learning_rate"] = Text(o.LearningRate),
            ["weight_decay"] = Text(o.WeightDecay),
            ["optimizer"] = o.Optimizer,
            ["momentum"] = o.Optimizer == "sgd" ? Text(o.Momentum) : None,
            ["nesterov"] = o.Nesterov ? "true" : "false",
            ["schedule"] = o.Schedule,
            ["warmup"] = o.WarmupSteps > 0 ? $"{Text(o.WarmupSteps)} steps" : $"{Text(o.WarmupEpochs)} epochs",
            ["label_smoothing"] = Text(o.LabelSmoothing),
            ["clip_grad_norm"] = o.ClipGradNorm is { } clip ? Text(clip) : None,
            ["patience"] = o.Patience is { } patience ? Text(patience) : None,
            ["pretrained"] = o.Pretrained ?? None,
            ["freeze_backbone"] = o.FreezeBackbone ? "true" : "false",
            ["seed"] = Text(o.Seed),
            ["max_minutes"] = o.MaxDuration is { } d ? Text(d.TotalMinutes) : None,
            ["device"] = "cpu",
            ["threads"] = Text(o.Threads ?? Environment.ProcessorCount),
            ["pipeline"] = pipeline.ToJson(),
            ["register"] = request.RegisterAs ?? None,
        };
        foreach (var (name, value) in request.Tags ?? new Dictionary<string, string>())
        {
            parameters.TryAdd(name, value);
        }

        return parameters;
    }

    /// <summary>The request that <paramref name="run"/> recorded: its dataset version, options, pipeline and model name.</summary>
    /// <exception cref="InvalidInputException">A parameter is missing or unreadable; the message names it.</exception>
    public static TrainingRequest ToRequest(Run run)
    {
        ArgumentNullException.ThrowIfNull(run);
        var p = run.Parameters;
        string Get(string name) => p.TryGetValue(name, out var value)
            ? value
            : throw new InvalidInputException($"run '{run.Id}' has no recorded parameter '{name}'; it cannot be resumed.");
        T Parse<T>(string name)
            where T : IParsable<T> =>
            T.TryParse(Get(name), CultureInfo.InvariantCulture, out var value)
                ? value
                : throw new InvalidInputException($"run '{run.Id}' has parameter {name} = '{Get(name)}', which is not a {typeof(T).Name}.");
        T? Optional<T>(string name)
            where T : struct, IParsable<T> => Get(name) == None ? null : Parse<T>(name);

        var warmup = Get("warmup").Split(' ');
        var options = new TrainingOptions
        {
            Architecture = Get("architecture"),
            Epochs = Parse<int>("epochs"),
            BatchSize = Parse<int>("batch_size"),
            LearningRate = Parse<double>("learning_rate"),
            WeightDecay = Parse<double>("weight_decay"),
            Optimizer = Get("optimizer"),
            Momentum = Optional<double>("momentum") ?? new TrainingOptions().Momentum,
            Nesterov = Get("nesterov") == "true",
            Schedule = Get("schedule"),
            WarmupSteps = warmup is [var steps, "steps"] ? int.Parse(steps, CultureInfo.InvariantCulture) : 0,
            WarmupEpochs = warmup is [var epochs, "epochs"] ? double.Parse(epochs, CultureInfo.InvariantCulture) : 0,
            LabelSmoothing = Parse<double>("label_smoothing"),
            ClipGradNorm = Optional<double>("clip_grad_norm"),
            Patience = Optional<int>("patience"),
            Pretrained = Get("pretrained") is None ? null : Get("pretrained"),
            FreezeBackbone = Get("freeze_backbone") == "true",
            Seed = Parse<long>("seed"),
            MaxDuration = Optional<double>("max_minutes") is { } minutes ? TimeSpan.FromMinutes(minutes) : null,
            Threads = Parse<int>("threads"),
        };
        var register = p.TryGetValue("register", out var name) && name != None ? name : null;
        return new TrainingRequest(VersionedName.Parse(run.Dataset, "dataset"), options, register, PipelineSpec.FromJson(Get("pipeline"), $"run {run.Id}"));
    }

    private static string Text<T>(T value)
        where T : IFormattable => value.ToString(null, CultureInfo.InvariantCulture);
}
