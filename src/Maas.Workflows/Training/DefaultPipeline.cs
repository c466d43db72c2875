using Maas.Core.Datasets;
using Maas.Core.Pipelines;

namespace Maas.Workflows.Training;

/// <summary>The pipeline a training run uses when the user gives none, chosen from the dataset's images.</summary>
public static class DefaultPipeline
{
    /// <summary>The largest side the default pipeline keeps; larger images are resized down to it.</summary>
    public const int MaxSide = 64;

    /// <summary>
    /// Grayscale when most images are, else RGB; the most common size when it fits in <see cref="MaxSide"/>,
    /// else <see cref="MaxSide"/> square; pixels scaled to [-1, 1].
    /// </summary>
    /// <param name="samples">The dataset's samples.</param>
    /// <param name="minSide">
    /// The smallest side the network can take; smaller images are enlarged to <see cref="MaxSide"/> square (a
    /// pretrained ResNet, whose ImageNet stem divides each side by 32, asks for this). The default is 1.
    /// </param>
    public static PipelineSpec For(IReadOnlyList<Sample> samples, int minSide = 1)
    {
        ArgumentNullException.ThrowIfNull(samples);
        var gray = samples.Count(s => s.Channels == 1) * 2 > samples.Count;
        var (width, height) = samples.GroupBy(s => (s.Width, s.Height)).MaxBy(g => g.Count())?.Key ?? (MaxSide, MaxSide);
        if (width > MaxSide || height > MaxSide || width < minSide || height < minSide)
        {
            (width, height) = (MaxSide, MaxSide);
        }

        return PipelineSpec.ForImages(gray ? ColorMode.Gray : ColorMode.Rgb, width, height);
    }
}
