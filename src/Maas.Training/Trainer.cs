using System.Diagnostics;
using Maas.Core.Errors;
using Maas.Core.Runs;
using Maas.Training.Evaluation;
using Maas.Training.Networks;
using Maas.Training.Pretrained;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Maas.Training;

/// <summary>
/// Trains a classification network on in-memory data with cross-entropy, on the CPU: AdamW or SGD, a
/// learning-rate schedule with warm-up, label smoothing, gradient clipping, early stopping, and transfer learning
/// from pretrained weights, as <see cref="TrainingOptions"/> asks.
/// </summary>
/// <remarks>
/// libtorch's random generator and thread count are process-wide: the trainer sets both at the start of a run, so
/// the reproducibility promised by <see cref="TrainingOptions.Seed"/> holds for one run at a time per process.
/// </remarks>
public sealed class Trainer
{
    /// <summary>
    /// Where to write a checkpoint after every complete epoch, and whether to resume from it. The default is null:
    /// no checkpoints.
    /// </summary>
    public Checkpointing? Checkpoints { get; init; }

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

    private TrainingResult Train(
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

        if (options.Patience is not null && validation is null)
        {
            throw new InvalidInputException("Training option Patience (early stopping) needs validation data to watch.");
        }

        var spec = options.Pretrained is null
            ? Architectures.Create(options.Architecture, train.Channels, train.Height, train.Width, train.ClassCount)
            : ImageNetResNet18.CreateSpec(train.Channels, train.Height, train.Width, train.ClassCount, train.Normalization);

        // Both are process-wide in libtorch. Set explicitly so a run does not inherit what an earlier one left behind.
        set_num_threads(options.Threads ?? Environment.ProcessorCount);
        manual_seed(options.Seed);

        var network = new Network(spec);
        try
        {
            if (options.Pretrained is not null)
            {
                ImageNetResNet18.LoadWeights(network);
                if (options.FreezeBackbone)
                {
                    network.FreezeBackbone();
                }
            }

            var fit = Fit(network, train, validation, options, progress, clock, cancellationToken);
            network.eval();
            return new TrainingResult(network, spec, fit.Epochs, fit.StoppedByTimeBudget, clock.Elapsed)
            {
                BestEpoch = fit.BestEpoch,
                StoppedEarly = fit.StoppedEarly,
            };
        }
        catch
        {
            network.Dispose();
            throw;
        }
    }

    private FitOutcome Fit(
        Network network,
        TrainingData train,
        TrainingData? validation,
        TrainingOptions options,
        IProgress<TrainingProgress>? progress,
        Stopwatch clock,
        CancellationToken cancellationToken)
    {
        // A frozen backbone's parameters stay out of the optimizer, so no decay or momentum can move them either.
        var trainable = network.parameters().Where(p => p.requires_grad).ToList();
        using var optimizer = CreateOptimizer(trainable, options);

        int stepsPerEpoch = (train.Count + options.BatchSize - 1) / options.BatchSize;
        long warmupSteps = options.WarmupSteps > 0 ? options.WarmupSteps : (long)Math.Round(options.WarmupEpochs * stepsPerEpoch);
        var schedule = new LearningRateSchedule(options.Schedule, options.LearningRate, (long)stepsPerEpoch * options.Epochs, warmupSteps);
        var batch = new BatchAssembler(train, options.BatchSize);
        var epochs = new List<EpochMetrics>(options.Epochs);
        var best = new BestWeights();
        int firstEpoch = 1;
        if (Checkpoints is { Resume: true } resume && File.Exists(resume.FilePath))
        {
            var restored = TrainingCheckpoint.Restore(resume.Folder, options, network, optimizer, best);
            epochs.AddRange(restored.Epochs);
            firstEpoch = restored.Epoch + 1;
        }

        int lastEpoch = Math.Min(options.Epochs, Checkpoints?.PauseAfterEpoch ?? int.MaxValue);
        try
        {
            // Killed after the checkpoint of the epoch that triggered early stopping: stop there again.
            if (options.Patience is { } restoredPatience && firstEpoch > 1 && firstEpoch - 1 - best.Epoch >= restoredPatience && firstEpoch <= options.Epochs)
            {
                return best.Finish(network, epochs, stoppedByTimeBudget: false, stoppedEarly: true);
            }

            for (int epoch = firstEpoch; epoch <= lastEpoch; epoch++)
            {
                // The order and libtorch's generator (dropout) are functions of (seed, epoch), not of what earlier
                // epochs drew, so an epoch trained after a resume sees exactly what it would have seen without one.
                var order = EpochRandomness.Order(options.Seed, epoch, train.Count);
                manual_seed(EpochRandomness.TorchSeed(options.Seed, epoch));
                network.train();
                var epochClock = Stopwatch.StartNew();
                double lossSum = 0;
                long correct = 0;
                int seen = 0;
                bool outOfTime = false;
                double learningRate = options.LearningRate;
                batch.Prefetch(order, 0, Math.Min(options.BatchSize, train.Count), epoch - 1);
                for (int step = 0; step < stepsPerEpoch; step++)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    int start = step * options.BatchSize;
                    int count = Math.Min(options.BatchSize, train.Count - start);
                    learningRate = schedule.At(((long)(epoch - 1) * stepsPerEpoch) + step);
                    foreach (var group in optimizer.ParamGroups)
                    {
                        group.LearningRate = learningRate;
                    }

                    using (var scope = NewDisposeScope())
                    {
                        var (input, target) = batch.Take();
                        if (step + 1 < stepsPerEpoch)
                        {
                            // The next batch is gathered (and augmented) while this step computes.
                            int nextStart = start + count;
                            batch.Prefetch(order, nextStart, Math.Min(options.BatchSize, train.Count - nextStart), epoch - 1);
                        }

                        optimizer.zero_grad();
                        var logits = network.call(input);
                        var loss = nn.functional.cross_entropy(logits, target, label_smoothing: options.LabelSmoothing);
                        loss.backward();
                        if (options.ClipGradNorm is { } maxNorm)
                        {
                            nn.utils.clip_grad_norm_(trainable, maxNorm);
                        }

                        optimizer.step();
                        lossSum += (double)loss.item<float>() * count;
                        correct += logits.argmax(1).eq(target).sum().item<long>();
                    }

                    seen += count;
                    progress?.Report(new TrainingProgress(
                        epoch, options.Epochs, step + 1, stepsPerEpoch, lossSum / seen, (double)correct / seen, seen / epochClock.Elapsed.TotalSeconds, clock.Elapsed)
                    {
                        LearningRate = learningRate,
                    });

                    bool lastStep = epoch == options.Epochs && step == stepsPerEpoch - 1;
                    if (!lastStep && options.MaxDuration is { } budget && clock.Elapsed >= budget)
                    {
                        outOfTime = true;
                        break;
                    }
                }

                batch.Drain();
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
                    epoch, lossSum / seen, (double)correct / seen, validationLoss, validationAccuracy, learningRate, imagesPerSecond, batch.TakeWaitSeconds()));
                if (options.Patience is not null && validationLoss is { } lossNow)
                {
                    best.Offer(network, epoch, lossNow);
                }

                if (!outOfTime && Checkpoints is { } checkpoints)
                {
                    TrainingCheckpoint.Write(checkpoints.Folder, new CheckpointSummary(epoch, [.. epochs], options.Architecture, options.Optimizer, options.Seed),
                        network, optimizer, best);
                    checkpoints.Saved?.Invoke(epochs);
                }

                if (outOfTime)
                {
                    return best.Finish(network, epochs, stoppedByTimeBudget: true, stoppedEarly: false);
                }

                if (options.Patience is { } patience && epoch - best.Epoch >= patience && epoch < options.Epochs)
                {
                    return best.Finish(network, epochs, stoppedByTimeBudget: false, stoppedEarly: true);
                }
            }

            return best.Finish(network, epochs, stoppedByTimeBudget: false, stoppedEarly: false);
        }
        finally
        {
            batch.Drain();
            best.Dispose();
        }
    }

    private static optim.Optimizer CreateOptimizer(IReadOnlyList<Parameter> parameters, TrainingOptions options) =>
        options.Optimizer switch
        {
            "sgd" => optim.SGD(parameters, options.LearningRate, momentum: options.Momentum, weight_decay: options.WeightDecay, nesterov: options.Nesterov),
            _ => optim.AdamW(parameters, lr: options.LearningRate, weight_decay: options.WeightDecay),
        };
}
