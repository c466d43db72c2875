using System.Diagnostics;
using System.Globalization;
using Maas.Analysis;
using Maas.Analysis.LabelIssues;
using Maas.Core;
using Maas.Core.Datasets;
using Maas.Core.Pipelines;
using Maas.Imaging;
using Maas.Storage.Blobs;
using Maas.Training;
using Maas.Training.Evaluation;
using Maas.Workflows.Training;

namespace Maas.Workflows.CrossValidation;

/// <summary>
/// Out-of-fold probabilities for label-issue detection from the trainer: one CNN per fold, trained from scratch on the
/// images of the other folds and run on its own fold. All images are decoded once, through the same pipeline
/// executor training uses, and held in memory for every fold.
/// </summary>
/// <param name="blobs">Where the samples' image bytes are read.</param>
/// <param name="options">The fold models' architecture, epochs and budget.</param>
public sealed class KFoldTrainer(IBlobStore blobs, KFoldTrainerOptions options) : IOutOfFoldClassifier
{
    private const string Stage = "cross-validating";
    private const int PredictBatch = 1024;

    /// <summary>The architecture and epochs, e.g. <c>small-cnn-2ep</c>.</summary>
    public string Name => string.Create(CultureInfo.InvariantCulture, $"{options.Architecture}-{options.Epochs}ep");

    /// <inheritdoc />
    public async Task<OutOfFoldPredictions> PredictAsync(OutOfFoldRequest request, IProgress<AnalysisProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var samples = request.Samples;
        var executor = new PipelineExecutor(PipelineFor(samples, options.MaxSide));
        progress?.Report(new AnalysisProgress("decoding images for cross-validation", 0, samples.Count));
        var all = await Task.Run(() => SplitLoader.Load(samples, executor, blobs, request.ClassCount,
            new InlineProgress<int>(done => progress?.Report(new AnalysisProgress("decoding images for cross-validation", done, samples.Count))),
            cancellationToken), cancellationToken);

        var members = Enumerable.Range(0, request.FoldCount).Select(f => Enumerable.Range(0, samples.Count).Where(i => request.Folds[i] == f).ToArray()).ToArray();
        var steps = members.Select(m => (long)options.Epochs * ((samples.Count - m.Length + options.BatchSize - 1) / options.BatchSize)).ToArray();
        var totalSteps = steps.Sum();
        long stepsBefore = 0;
        var probabilities = new float[samples.Count][];
        var clock = Stopwatch.StartNew();
        var cut = 0;
        for (var f = 0; f < request.FoldCount; f++)
        {
            var test = members[f];
            var train = Subset(all, Enumerable.Range(0, samples.Count).Where(i => request.Folds[i] != f).ToArray());
            TimeSpan? share = options.TimeBudget is { } budget ? (budget - clock.Elapsed) / (request.FoldCount - f) : null;
            var training = new TrainingOptions
            {
                Architecture = options.Architecture,
                Epochs = options.Epochs,
                BatchSize = options.BatchSize,
                LearningRate = options.LearningRate,
                // A constant rate, because the time budget may stop a fold anywhere: one-cycle stopped midway, at its
                // peak rate, left fold models of 0.59 out-of-fold accuracy on a busy machine, against 0.81 when it finished.
                Schedule = "constant",
                Seed = request.Seed + f,
                // A spent budget still trains a step: every fold has to predict its samples with something.
                MaxDuration = share is { } s ? TimeSpan.FromTicks(Math.Max(s.Ticks, 1)) : null,
                Threads = options.Threads,
            };
            var before = stepsBefore;
            var stepProgress = new InlineProgress<TrainingProgress>(p =>
                progress?.Report(new AnalysisProgress(Stage, before + ((long)(p.Epoch - 1) * p.StepsPerEpoch) + p.Step, totalSteps)));
            using var result = await new Trainer().TrainAsync(train, null, training, stepProgress, cancellationToken);
            cut += result.StoppedByTimeBudget ? 1 : 0;
            for (var start = 0; start < test.Length; start += PredictBatch)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var batch = test.AsSpan(start, Math.Min(PredictBatch, test.Length - start)).ToArray();
                var prediction = Evaluator.Predict(result.Network, Subset(all, batch).Pixels, batch.Length);
                for (var i = 0; i < batch.Length; i++)
                {
                    probabilities[batch[i]] = prediction.Probabilities.AsSpan(i * request.ClassCount, request.ClassCount).ToArray();
                }
            }

            stepsBefore += steps[f];
            progress?.Report(new AnalysisProgress(Stage, stepsBefore, totalSteps));
        }

        var shape = executor.Shape;
        var description = string.Create(CultureInfo.InvariantCulture,
            $"{options.Architecture} trained from scratch on {shape.Channels}x{shape.Height}x{shape.Width} images, {request.FoldCount} folds, {options.Epochs} epochs each (AdamW, learning rate {options.LearningRate}), {clock.Elapsed.TotalSeconds:0} s")
            + (cut > 0 ? $"; the time budget cut {cut} of the folds short" : "");
        return new OutOfFoldPredictions(probabilities, description);
    }

    /// <summary>Grayscale when most images are, else RGB; the most common size when it fits in <paramref name="maxSide"/>, else that square.</summary>
    internal static PipelineSpec PipelineFor(IReadOnlyList<Sample> samples, int maxSide)
    {
        var gray = samples.Count(s => s.Channels == 1) * 2 > samples.Count;
        var (width, height) = samples.GroupBy(s => (s.Width, s.Height)).MaxBy(g => g.Count())?.Key ?? (maxSide, maxSide);
        if (width > maxSide || height > maxSide)
        {
            (width, height) = (maxSide, maxSide);
        }

        return PipelineSpec.ForImages(gray ? ColorMode.Gray : ColorMode.Rgb, width, height);
    }

    private static TrainingData Subset(TrainingData all, int[] indices)
    {
        var size = all.SampleSize;
        var pixels = new float[(long)indices.Length * size];
        for (var i = 0; i < indices.Length; i++)
        {
            all.Pixels.AsSpan(indices[i] * size, size).CopyTo(pixels.AsSpan(i * size, size));
        }

        return all with { Pixels = pixels, Labels = indices.Select(i => all.Labels[i]).ToArray() };
    }
}
