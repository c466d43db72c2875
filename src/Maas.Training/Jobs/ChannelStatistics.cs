using Maas.Datasets.Preprocessing;

namespace Maas.Training.Jobs;

/// <summary>
/// Per-channel mean and standard deviation of pixel values on a [0, 1] scale, over cached prefix images: what a
/// pipeline's <c>normalize: auto</c> resolves to when a run starts.
/// </summary>
public static class ChannelStatistics
{
    /// <summary>The statistics of the images at <paramref name="indices"/> of <paramref name="shards"/>.</summary>
    /// <exception cref="Maas.Core.Errors.InvalidInputException">There are no images, or they differ in channel count.</exception>
    public static (float[] Mean, float[] Std) Of(PreprocessedShards shards, IReadOnlyList<int> indices, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(shards);
        ArgumentNullException.ThrowIfNull(indices);
        if (indices.Count == 0)
        {
            throw new Maas.Core.Errors.InvalidInputException("normalize \"auto\": the training split has no images to measure.");
        }

        var channels = shards.SizeOf(indices[0]).Channels;
        // Sums per worker, merged at the end: exact integer sums (no float drift over millions of pixels).
        var sum = new long[channels];
        var squares = new double[channels];
        long pixels = 0;
        var gate = new object();
        Parallel.For(0, indices.Count, new ParallelOptions { CancellationToken = cancellationToken },
            () => (Sum: new long[channels], Squares: new long[channels], Pixels: 0L),
            (i, _, local) =>
            {
                var (width, height, c) = shards.SizeOf(indices[i]);
                if (c != channels)
                {
                    throw new Maas.Core.Errors.InvalidInputException($"normalize \"auto\": image {indices[i]} has {c} channels, the first has {channels}.");
                }

                var image = new byte[width * height * c];
                shards.Read(indices[i], image);
                for (var p = 0; p < image.Length; p++)
                {
                    local.Sum[p % c] += image[p];
                    local.Squares[p % c] += image[p] * image[p];
                }

                local.Pixels += width * height;
                return local;
            },
            local =>
            {
                lock (gate)
                {
                    for (var c = 0; c < channels; c++)
                    {
                        sum[c] += local.Sum[c];
                        squares[c] += local.Squares[c];
                    }

                    pixels += local.Pixels;
                }
            });
        var mean = new float[channels];
        var std = new float[channels];
        for (var c = 0; c < channels; c++)
        {
            var m = sum[c] / (double)pixels;
            var variance = Math.Max(0, (squares[c] / pixels) - (m * m));
            mean[c] = (float)(m / 255);
            // A constant channel would divide by zero; 1/255 keeps it finite and harmless.
            std[c] = (float)Math.Max(Math.Sqrt(variance) / 255, 1.0 / 255);
        }

        return (mean, std);
    }
}
