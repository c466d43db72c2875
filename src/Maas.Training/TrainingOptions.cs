using Maas.Core.Errors;
using Maas.Training.Networks;

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

    /// <summary>AdamW's learning rate. The default is 0.001.</summary>
    public double LearningRate { get; init; } = 1e-3;

    /// <summary>AdamW's decoupled weight decay. The default is 0.01 (PyTorch's default for AdamW).</summary>
    public double WeightDecay { get; init; } = 1e-2;

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
