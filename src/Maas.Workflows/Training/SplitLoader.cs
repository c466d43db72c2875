using Maas.Core.Datasets;
using Maas.Core.Pipelines;
using Maas.Datasets.Preprocessing;
using Maas.Imaging;
using Maas.Storage.Blobs;
using Maas.Training;

namespace Maas.Workflows.Training;

/// <summary>
/// Turns the samples of one split into <see cref="TrainingData"/> by running the pipeline's executor over their
/// stored bytes (or their cached prefix images), in parallel. The same executor serves predictions, so evaluation and
/// serving tensors agree bit for bit.
/// </summary>
public static class SplitLoader
{
    /// <summary>Loads <paramref name="samples"/> through <paramref name="executor"/> in evaluation mode, decoding their bytes.</summary>
    public static TrainingData Load(IReadOnlyList<Sample> samples, PipelineExecutor executor, IBlobStore blobs, int classCount,
        IProgress<int>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(samples);
        ArgumentNullException.ThrowIfNull(executor);
        ArgumentNullException.ThrowIfNull(blobs);
        var shape = executor.Shape;
        var pixels = new float[(long)samples.Count * shape.Length];
        executor.RunMany(samples.Count, i => (blobs.Get(samples[i].BlobHash), samples[i].SampleId), pixels, progress, cancellationToken);
        return new TrainingData(pixels, samples.Select(s => s.Label).ToArray(), shape.Channels, shape.Height, shape.Width, classCount)
        {
            Normalization = executor.Spec.Ops.OfType<NormalizeOp>().FirstOrDefault(),
        };
    }

    /// <summary>
    /// Loads the samples at <paramref name="indices"/> of the version's manifest in evaluation mode from their cached
    /// prefix images: bit-identical to decoding them, without the decoding.
    /// </summary>
    public static TrainingData Load(IReadOnlyList<int> indices, IReadOnlyList<Sample> samples, PipelineExecutor executor, PreprocessedShards shards,
        int classCount, IProgress<int>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(indices);
        ArgumentNullException.ThrowIfNull(samples);
        ArgumentNullException.ThrowIfNull(executor);
        ArgumentNullException.ThrowIfNull(shards);
        var shape = executor.Shape;
        var pixels = new float[(long)indices.Count * shape.Length];
        var done = 0;
        Parallel.For(0, indices.Count, new ParallelOptions { CancellationToken = cancellationToken }, i =>
        {
            var (width, height, channels) = shards.SizeOf(indices[i]);
            var image = new byte[width * height * channels];
            shards.Read(indices[i], image);
            executor.RunFromPrefix(image, width, height, channels, pixels.AsSpan(i * shape.Length, shape.Length), SampleContext.Evaluation);
            if (Interlocked.Increment(ref done) % 1024 == 0)
            {
                progress?.Report(done);
            }
        });
        progress?.Report(indices.Count);
        return new TrainingData(pixels, indices.Select(i => samples[i].Label).ToArray(), shape.Channels, shape.Height, shape.Width, classCount)
        {
            Normalization = executor.Spec.Ops.OfType<NormalizeOp>().FirstOrDefault(),
        };
    }

    /// <summary>
    /// The samples at <paramref name="indices"/> as training data whose tensors are made afresh every epoch by the
    /// pipeline's random ops (see <see cref="SampleAugmentation"/>); no pixels are held in memory.
    /// </summary>
    public static TrainingData Augmented(IReadOnlyList<int> indices, IReadOnlyList<Sample> samples, PipelineExecutor executor, PreprocessedShards shards,
        int classCount, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(indices);
        ArgumentNullException.ThrowIfNull(samples);
        ArgumentNullException.ThrowIfNull(executor);
        var shape = executor.Shape;
        var keys = indices.Select(i => SampleContext.KeyOf(samples[i].SampleId)).ToArray();
        return new TrainingData([], indices.Select(i => samples[i].Label).ToArray(), shape.Channels, shape.Height, shape.Width, classCount)
        {
            Normalization = executor.Spec.Ops.OfType<NormalizeOp>().FirstOrDefault(),
            Augmentation = new SampleAugmentation(executor, shards, indices, keys, seed),
        };
    }
}
