using System.Diagnostics;
using Maas.Core.Errors;
using Maas.Core.Runs;
using Maas.Training.Evaluation;
using Maas.Training.Networks;
using static TorchSharp.torch;

namespace Maas.Training;

/// <summary>
/// Trains a classification network on in-memory data with AdamW and cross-entropy, on the CPU.
/// </summary>
/// <remarks>
/// libtorch's random generator and thread count are process-wide: the trainer sets both at the start of a run, so
/// the reproducibility promised by <see cref="TrainingOptions.Seed"/> holds for one run at a time per process.
/// </remarks>
public sealed class Trainer
{
    /// <summary>Trains a network of the chosen architecture on <paramref name="train"/>, on a thread-pool thread.</summary>
    /// <param name="train">The training samples.</param>
    /// <param name="validation">Samples measured after every epoch, or null for none.</param>
    /// <param name="options">Architecture and hyperparameters.</param>
    /// <param name="progress">Told after every optimizer step, or null.</param>
    /// <param name="cancellationToken">Checked before every step and every validation batch.</param>
    /// <returns>The trained network (the caller owns it), its spec and each epoch's metrics.</returns>
    /// <exception cref="InvalidInputException">An option is out of range, the architecture is unknown, or the data is inconsistent.</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled; the partly trained network is freed.</exception>
    public Task<TrainingResult> TrainAsync(
        TrainingData train,
        TrainingData? validation,
        TrainingOptions options,
        IProgress<TrainingProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(options);

        // Training is seconds to hours of CPU work in native code; it runs on the pool so a caller's thread stays free.
        return Task.Run(() => Train(train, validation, options, progress, cancellationToken), cancellationToken);
    }

    private static TrainingResult Train(
        TrainingData train,
        TrainingData? validation,
        TrainingOptions options,
        IProgress<TrainingProgress>? progress,
        CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        options.Validate();
        train.Validate("training data");
        if (validation is not null)
        {
            validation.Validate("validation data");
            if (validation.Channels != train.Channels || validation.Height != train.Height || validation.Width != train.Width
                || validation.ClassCount != train.ClassCount)
            {
                throw new InvalidInputException(
                    $"The validation data has {validation.Channels}x{validation.Height}x{validation.Width} images and {validation.ClassCount} classes, "
                    + $"but the training data has {train.Channels}x{train.Height}x{train.Width} images and {train.ClassCount} classes.");
            }
        }

        var spec = Architectures.Create(options.Architecture, train.Channels, train.Height, train.Width, train.ClassCount);

        // Both are process-wide in libtorch. Set explicitly so a run does not inherit what an earlier one left behind.
        set_num_threads(options.Threads ?? Environment.ProcessorCount);
        manual_seed(options.Seed);

        var network = new Network(spec);
        try
        {
            var (epochs, stoppedByTimeBudget) = Fit(network, train, validation, options, progress, clock, cancellationToken);
            network.eval();
            return new TrainingResult(network, spec, epochs, stoppedByTimeBudget, clock.Elapsed);
        }
        catch
        {
            network.Dispose();
            throw;
        }
    }

    private static (List<EpochMetrics> Epochs, bool StoppedByTimeBudget) Fit(
        Network network,
        TrainingData train,
        TrainingData? validation,
        TrainingOptions options,
        IProgress<TrainingProgress>? progress,
        Stopwatch clock,
        CancellationToken cancellationToken)
    {
        using var optimizer = optim.AdamW(network.parameters(), lr: options.LearningRate, weight_decay: options.WeightDecay);

        // The sample order comes from its own generator, seeded from the run's seed, so it does not depend on how
        // many random numbers libtorch drew for initialization and dropout.
        var orderRandom = new Random(unchecked((int)options.Seed ^ (int)(options.Seed >> 32)));
        var order = Enumerable.Range(0, train.Count).ToArray();
        int stepsPerEpoch = (train.Count + options.BatchSize - 1) / options.BatchSize;
        var batch = new BatchAssembler(train, options.BatchSize);
        var epochs = new List<EpochMetrics>(options.Epochs);

        for (int epoch = 1; epoch <= options.Epochs; epoch++)
        {
            orderRandom.Shuffle(order);
            network.train();
            var epochClock = Stopwatch.StartNew();
            double lossSum = 0;
            long correct = 0;
            int seen = 0;
            bool outOfTime = false;
            for (int step = 0; step < stepsPerEpoch; step++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                int start = step * options.BatchSize;
                int count = Math.Min(options.BatchSize, train.Count - start);
                using (var scope = NewDisposeScope())
                {
                    var (input, target) = batch.Assemble(order.AsSpan(start, count));
                    optimizer.zero_grad();
                    var logits = network.call(input);
                    var loss = nn.functional.cross_entropy(logits, target);
                    loss.backward();
                    optimizer.step();
                    lossSum += (double)loss.item<float>() * count;
                    correct += logits.argmax(1).eq(target).sum().item<long>();
                }

                seen += count;
                progress?.Report(new TrainingProgress(
                    epoch, options.Epochs, step + 1, stepsPerEpoch, lossSum / seen, (double)correct / seen, seen / epochClock.Elapsed.TotalSeconds, clock.Elapsed));

                bool lastStep = epoch == options.Epochs && step == stepsPerEpoch - 1;
                if (!lastStep && options.MaxDuration is { } budget && clock.Elapsed >= budget)
                {
                    outOfTime = true;
                    break;
                }
            }

            double imagesPerSecond = seen / epochClock.Elapsed.TotalSeconds;
            double? validationLoss = null;
            double? validationAccuracy = null;
            if (validation is not null)
            {
                var (meanLoss, predicted) = Evaluator.PredictAll(network, validation, Evaluator.DefaultBatchSize, cancellationToken);
                validationLoss = meanLoss;
                validationAccuracy = (double)predicted.Where((p, i) => p == validation.Labels[i]).Count() / validation.Count;
            }

            epochs.Add(new EpochMetrics(
                epoch, lossSum / seen, (double)correct / seen, validationLoss, validationAccuracy, options.LearningRate, imagesPerSecond));
            if (outOfTime)
            {
                return (epochs, true);
            }
        }

        return (epochs, false);
    }
}
