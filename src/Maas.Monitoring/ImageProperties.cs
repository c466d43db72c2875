using Maas.Analysis;

namespace Maas.Monitoring;

/// <summary>The cheap properties of one image that input drift is watched on.</summary>
/// <param name="Brightness">Perceived brightness in [0, 1], as <c>Maas.Analysis.ImageFeatures.Brightness</c>.</param>
/// <param name="Contrast">RMS contrast of luma divided by 255.</param>
/// <param name="Sharpness">Variance of the Laplacian of luma.</param>
/// <param name="Entropy">Entropy in bits of the 8-bit histogram.</param>
/// <param name="Width">Width in pixels.</param>
/// <param name="Height">Height in pixels.</param>
/// <param name="Aspect">min(w/h, h/w).</param>
/// <param name="Channels">Channels of the image as uploaded (1 gray, 3 RGB, 4 RGBA).</param>
public sealed record ImageProperties(
    double Brightness,
    double Contrast,
    double Sharpness,
    double Entropy,
    int Width,
    int Height,
    double Aspect,
    int Channels)
{
    /// <summary>The property names, in the order of <see cref="Values"/>.</summary>
    public static IReadOnlyList<string> Names { get; } =
        ["brightness", "contrast", "sharpness", "entropy", "width", "height", "aspect", "channels"];

    /// <summary>
    /// The properties of an image measured by <see cref="ImageMeasurement"/>, so served images and the reference are
    /// measured by the same code the dataset analysis uses.
    /// </summary>
    /// <param name="features">The measured features.</param>
    /// <param name="channels">The channels of the image as uploaded (measurement itself works on RGB).</param>
    public static ImageProperties From(ImageFeatures features, int channels)
    {
        ArgumentNullException.ThrowIfNull(features);
        return new ImageProperties(features.Brightness, features.Contrast, features.Sharpness, features.Entropy,
            features.Width, features.Height, features.AspectRatio, channels);
    }

    /// <summary>The properties as numbers, in the order of <see cref="Names"/>.</summary>
    public double[] Values() => [Brightness, Contrast, Sharpness, Entropy, Width, Height, Aspect, Channels];
}
