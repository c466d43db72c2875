using Maas.Core.Datasets;
using Maas.Core.Pipelines;
using Maas.Imaging;
using Maas.Storage.Blobs;

namespace Maas.Analysis;

/// <summary>
/// The dataset-level mean and standard deviation of pixel values in [0, 1], per channel: what a pipeline's
/// <c>normalize: auto</c> subtracts and divides by. Computed over every pixel of every image (not as a mean of
/// per-image means), so large images weigh more, as they do in training.
/// </summary>
/// <param name="Mean">Per-channel mean, in channel order (one entry for gray, R, G, B for colour).</param>
/// <param name="Std">Per-channel population standard deviation.</param>
/// <param name="PixelCount">Pixels per channel the figures rest on.</param>
public sealed record ChannelStatistics(IReadOnlyList<double> Mean, IReadOnlyList<double> Std, long PixelCount)
{
    /// <summary>
    /// Computes the statistics of <paramref name="samples"/> (typically a version's train split), decoding each blob
    /// in <paramref name="color"/>, in parallel on <paramref name="parallelism"/> threads (all cores when 0). Only
    /// the running sums are kept, so memory does not grow with the dataset.
    /// </summary>
    /// <exception cref="Maas.Core.Errors.UnsupportedImageException">A blob does not decode.</exception>
    public static async Task<ChannelStatistics> ComputeAsync(IBlobStore blobs, IEnumerable<Sample> samples, ColorMode color,
        CancellationToken cancellationToken, int parallelism = 0)
    {
        ArgumentNullException.ThrowIfNull(blobs);
        ArgumentNullException.ThrowIfNull(samples);
        var moments = new ChannelMoments(color == ColorMode.Gray ? 1 : 3);
        var options = new ParallelOptions
        {
            CancellationToken = cancellationToken,
            MaxDegreeOfParallelism = parallelism > 0 ? parallelism : Environment.ProcessorCount,
        };
        await Parallel.ForEachAsync(samples, options, (sample, _) =>
        {
            var image = ImageDecoder.Decode(blobs.Get(sample.BlobHash), color, null, sample.SampleId);
            moments.AddPixels(image.Pixels);
            return ValueTask.CompletedTask;
        });
        return moments.ToStatistics();
    }
}
