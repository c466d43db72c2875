using Maas.Core.Datasets;
using Maas.Core.Pipelines;
using Maas.Imaging;
using Maas.Storage.Blobs;

namespace Maas.Training.Jobs;

/// <summary>
/// Turns the samples of one split into <see cref="TrainingData"/> by running the pipeline's executor over their
/// stored bytes, in parallel. The same executor serves predictions, so evaluation and serving tensors agree bit for bit.
/// </summary>
public static class SplitLoader
{
    /// <summary>Loads <paramref name="samples"/> through <paramref name="executor"/>.</summary>
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
}
