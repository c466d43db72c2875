using Maas.Core.Errors;

namespace Maas.Imaging;

/// <summary>
/// The mean and standard deviation of pixel values in [0, 1], per channel: what a pipeline's <c>normalize: auto</c>
/// subtracts and divides by, and what analysis reports. Computed over every pixel of every image (not as a mean of
/// per-image means), so large images weigh more, as they do in training.
/// </summary>
/// <param name="Mean">Per-channel mean, in channel order (one entry for gray, R, G, B for colour).</param>
/// <param name="Std">Per-channel population standard deviation.</param>
/// <param name="PixelCount">Pixels per channel the figures rest on.</param>
public sealed record ChannelStatistics(IReadOnlyList<double> Mean, IReadOnlyList<double> Std, long PixelCount)
{
    /// <summary>
    /// The statistics of the images at <paramref name="indices"/> of <paramref name="images"/>, read in parallel;
    /// only running sums are kept, so memory does not grow with the dataset.
    /// </summary>
    /// <exception cref="InvalidInputException">There are no images, or they differ in channel count.</exception>
    public static ChannelStatistics Of(IPrefixImages images, IReadOnlyList<int> indices, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(indices);
        if (indices.Count == 0)
        {
            throw new InvalidInputException("normalize \"auto\": the training split has no images to measure.");
        }

        var channels = images.SizeOf(indices[0]).Channels;
        var moments = new ChannelMoments(channels);
        Parallel.For(0, indices.Count, new ParallelOptions { CancellationToken = cancellationToken }, i =>
        {
            var (width, height, c) = images.SizeOf(indices[i]);
            if (c != channels)
            {
                throw new InvalidInputException($"normalize \"auto\": image {indices[i]} has {c} channels, the first has {channels}.");
            }

            var image = new byte[width * height * c];
            images.Read(indices[i], image);
            moments.AddPixels(image);
        });
        return moments.ToStatistics();
    }

    /// <summary>
    /// The figures as a normalize op's mean and std; a constant channel's zero deviation becomes 1/255, which keeps
    /// the division finite and harmless.
    /// </summary>
    public (float[] Mean, float[] Std) ForNormalize() =>
        (Mean.Select(m => (float)m).ToArray(), Std.Select(s => (float)Math.Max(s, 1.0 / 255)).ToArray());
}
