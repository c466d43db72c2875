using Maas.Core.Errors;
using Maas.Training.Networks;
using Maas.Training.Pretrained;

namespace Maas.Training;

/// <summary>How a <see cref="Trainer"/> trains: the architecture and every hyperparameter, all recorded with the run.</summary>
public sealed record TrainingOptions
{
    /// <summary>The network architecture, one of <see cref="Architectures.Names"/>. The default is <c>small-cnn</c>.</summary>
    public string Architecture { get; init; } = Architectures.Default;

    /// <summary>Passes over the training data. The default is 3.</summary>
    public int Epochs { get; init; } = 3;

    /// <summary>Samples per optimizer step; the last step of an epoch takes what is left. The default is 128.</summary>
    public int BatchSize { get; init; } = 128;

    /// <summary>The optimizers <see cref="Optimizer"/> accepts: <c>adamw</c> and <c>sgd</c>.</summary>
    public static IReadOnlyList<string> Optimizers { get; } = ["adamw", "sgd"];

    /// <summary>The schedules <see cref="Schedule"/> accepts: <c>constant</c>, <c>cosine</c> and <c>one-cycle</c>.</summary>
    public static IReadOnlyList<string> Schedules => LearningRateSchedule.Names;

    /// <summary>
    /// The optimizer: <c>adamw</c> (Adam with decoupled weight decay) or <c>sgd</c> (stochastic gradient descent
    /// with <see cref="Momentum"/>, optionally Nesterov's, and L2 weight decay). The default is <c>adamw</c>.
    /// </summary>
    public string Optimizer { get; init; } = "adamw";

    /// <summary>The peak learning rate; the <see cref="Schedule"/> and warm-up scale it step by step. The default is 0.001.</summary>
    public double LearningRate { get; init; } = 1e-3;

    /// <summary>
    /// Weight decay: decoupled for AdamW, an L2 term in the gradient for SGD. The default is 0.01 (PyTorch's
    /// default for AdamW).
    /// </summary>
    public double WeightDecay { get; init; } = 1e-2;

    /// <summary>SGD's momentum, in [0, 1); AdamW ignores it. The default is 0.9.</summary>
    public double Momentum { get; init; } = 0.9;

    /// <summary>Whether SGD uses Nesterov momentum (which needs a momentum above 0). The default is false.</summary>
    public bool Nesterov { get; init; }

    /// <summary>
    /// How the learning rate moves over the run: <c>constant</c>, <c>cosine</c> (annealed to 0 by the last step)
    /// or <c>one-cycle</c> (a rise from 1/25 of the peak, then cosine annealing far below it). See
    /// <see cref="LearningRateSchedule"/>. The default is <c>constant</c>.
    /// </summary>
    public string Schedule { get; init; } = "constant";

    /// <summary>
    /// Epochs (a fraction is allowed) of linear warm-up from near 0 to the peak learning rate; for one-cycle, the
    /// length of its rise. Give this or <see cref="WarmupSteps"/>, not both. The default is 0: no warm-up.
    /// </summary>
    public double WarmupEpochs { get; init; }

    /// <summary>Optimizer steps of warm-up, as <see cref="WarmupEpochs"/> but counted in steps. The default is 0.</summary>
    public int WarmupSteps { get; init; }

    /// <summary>
    /// Label smoothing of the training loss, in [0, 1): the target puts 1 - s on the true class and spreads s over
    /// all classes. The default is 0: plain cross-entropy.
    /// </summary>
    public double LabelSmoothing { get; init; }

    /// <summary>
    /// Clips the gradient before each step so that its global L2 norm, over all trained parameters together, is at
    /// most this. The default is null: no clipping.
    /// </summary>
    public double? ClipGradNorm { get; init; }

    /// <summary>
    /// Early stopping: training stops when the validation loss has not improved for this many epochs, and the
    /// network gets back the weights of its best epoch. It needs validation data. The default is null: train
    /// every epoch and keep the last weights.
    /// </summary>
    public int? Patience { get; init; }

    /// <summary>
    /// Pretrained weights for the backbone: null for none, or <c>imagenet</c> for the ImageNet ResNet-18 of
    /// <see cref="ImageNetResNet18"/> (with <see cref="Architecture"/> <c>resnet18</c>); the head is always new. The
    /// default is null.
    /// </summary>
    public string? Pretrained { get; init; }

    /// <summary>
    /// With <see cref="Pretrained"/> weights: train only the head and keep the backbone, batch-norm statistics
    /// included, as it was. The default is false: fine-tune everything.
    /// </summary>
    public bool FreezeBackbone { get; init; }

    /// <summary>
    /// Seeds the weight initialization, dropout and the order of samples in each epoch; the same seed, data,
    /// options and thread count give the same network bit for bit. The default is 42.
    /// </summary>
    public long Seed { get; init; } = 42;

    /// <summary>
    /// A time budget for training. When it runs out, training stops at the end of the current step and keeps the
    /// network it has; the cut epoch still gets its metrics (and validation). The default is null: no budget.
    /// </summary>
    public TimeSpan? MaxDuration { get; init; }

    /// <summary>
    /// Threads libtorch uses for its kernels. The setting is process-wide, as libtorch's is. The default is null:
    /// one per processor (<see cref="Environment.ProcessorCount"/>).
    /// </summary>
    public int? Threads { get; init; }

    /// <summary>Checks every option; the architecture name is checked when the network is built.</summary>
    /// <exception cref="InvalidInputException">An option is out of range; the message names it and its value.</exception>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Architecture))
        {
            throw new InvalidInputException($"Training option Architecture is empty; known architectures are: {string.Join(", ", Architectures.Names)}.");
        }

        if (Epochs < 1)
        {
            throw new InvalidInputException($"Training option Epochs must be 1 or more, got {Epochs}.");
        }

        if (BatchSize < 1)
        {
            throw new InvalidInputException($"Training option BatchSize must be 1 or more, got {BatchSize}.");
        }

        if (!(LearningRate > 0) || double.IsInfinity(LearningRate))
        {
            throw new InvalidInputException($"Training option LearningRate must be a positive number, got {LearningRate}.");
        }

        if (!(WeightDecay >= 0) || double.IsInfinity(WeightDecay))
        {
            throw new InvalidInputException($"Training option WeightDecay must be 0 or a positive number, got {WeightDecay}.");
        }

        if (!Optimizers.Contains(Optimizer))
        {
            throw new InvalidInputException($"Training option Optimizer '{Optimizer}' is unknown; known optimizers are: {string.Join(", ", Optimizers)}.");
        }

        if (!(Momentum >= 0 && Momentum < 1))
        {
            throw new InvalidInputException($"Training option Momentum must be in [0, 1), got {Momentum}.");
        }

        if (Nesterov && (Optimizer != "sgd" || Momentum == 0))
        {
            throw new InvalidInputException($"Training option Nesterov needs the sgd optimizer and a momentum above 0, got {Optimizer} with momentum {Momentum}.");
        }

        if (!Schedules.Contains(Schedule))
        {
            throw new InvalidInputException($"Training option Schedule '{Schedule}' is unknown; known schedules are: {string.Join(", ", Schedules)}.");
        }

        if (!(WarmupEpochs >= 0) || double.IsInfinity(WarmupEpochs))
        {
            throw new InvalidInputException($"Training option WarmupEpochs must be 0 or a positive number, got {WarmupEpochs}.");
        }

        if (WarmupSteps < 0)
        {
            throw new InvalidInputException($"Training option WarmupSteps must be 0 or more, got {WarmupSteps}.");
        }

        if (WarmupSteps > 0 && WarmupEpochs > 0)
        {
            throw new InvalidInputException($"Training options WarmupEpochs ({WarmupEpochs}) and WarmupSteps ({WarmupSteps}) were both given; give one.");
        }

        if (!(LabelSmoothing >= 0 && LabelSmoothing < 1))
        {
            throw new InvalidInputException($"Training option LabelSmoothing must be in [0, 1), got {LabelSmoothing}.");
        }

        if (ClipGradNorm is { } clip && (!(clip > 0) || double.IsInfinity(clip)))
        {
            throw new InvalidInputException($"Training option ClipGradNorm must be a positive number, got {clip}.");
        }

        if (Patience is < 1)
        {
            throw new InvalidInputException($"Training option Patience must be 1 or more, got {Patience}.");
        }

        if (Pretrained is not null && Pretrained != ImageNetResNet18.Name)
        {
            throw new InvalidInputException($"Training option Pretrained '{Pretrained}' is unknown; the pretrained weights available are: {ImageNetResNet18.Name}.");
        }

        if (Pretrained is not null && Architecture != Architectures.ResNet18)
        {
            throw new InvalidInputException($"Training option Pretrained '{Pretrained}' has weights for architecture {Architectures.ResNet18}, not '{Architecture}'.");
        }

        if (FreezeBackbone && Pretrained is null)
        {
            throw new InvalidInputException("Training option FreezeBackbone needs Pretrained weights; a randomly initialized backbone would never learn.");
        }

        if (MaxDuration is { } budget && budget <= TimeSpan.Zero)
        {
            throw new InvalidInputException($"Training option MaxDuration must be positive, got {budget}.");
        }

        if (Threads is < 1)
        {
            throw new InvalidInputException($"Training option Threads must be 1 or more, got {Threads}.");
        }
    }
}
