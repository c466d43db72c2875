namespace Maas.Analysis;

/// <summary>
/// What an analysis keeps of one image once its pixels are gone: a few hundred bytes of properties and hashes, so a
/// dataset of any size is analyzed in bounded memory.
/// </summary>
/// <param name="Width">Width in pixels.</param>
/// <param name="Height">Height in pixels.</param>
/// <param name="IsGrayscale">Whether every pixel has R = G = B (CleanVision's grayscale check).</param>
/// <param name="Brightness">Perceived brightness of the channel means, √(0.241R̄² + 0.691Ḡ² + 0.068B̄²)/255, in [0, 1].</param>
/// <param name="Contrast">RMS contrast: the standard deviation of 8-bit luma (BT.601) divided by 255.</param>
/// <param name="Sharpness">Variance of the 4-neighbour Laplacian of 8-bit luma over interior pixels (OpenCV's focus measure).</param>
/// <param name="Entropy">Entropy in bits of the 8-bit histogram (one band for grayscale images, all three otherwise), as PIL's Image.entropy().</param>
/// <param name="BrightnessP99">The 99th percentile of per-pixel perceived brightness: CleanVision's dark score.</param>
/// <param name="BrightnessP5">The 5th percentile of per-pixel perceived brightness: 1 minus CleanVision's light score.</param>
/// <param name="EdgeStd">CleanVision's raw blurriness: the standard deviation of FIND_EDGES on the downscaled gray image.</param>
/// <param name="GrayHistogramStd">CleanVision's blurriness_grayscale_std: the standard deviation of the 256 gray-histogram counts.</param>
/// <param name="PixelHash">SHA-256 of the size and decoded RGB pixels, so re-encodings of one picture share it.</param>
/// <param name="PerceptualHash">The 64-bit DCT perceptual hash.</param>
/// <param name="Miniature">The gray image shrunk bilinearly to <see cref="Anomalies.Miniature.Side"/> square, which near-duplicate candidates are checked on.</param>
/// <param name="ChannelSum">Per-channel (R, G, B) sum of pixel values scaled to [0, 1].</param>
/// <param name="ChannelSumOfSquares">Per-channel sum of squared scaled pixel values.</param>
public sealed record ImageFeatures(
    int Width,
    int Height,
    bool IsGrayscale,
    double Brightness,
    double Contrast,
    double Sharpness,
    double Entropy,
    double BrightnessP99,
    double BrightnessP5,
    double EdgeStd,
    double GrayHistogramStd,
    string PixelHash,
    ulong PerceptualHash,
    byte[] Miniature,
    double[] ChannelSum,
    double[] ChannelSumOfSquares)
{
    /// <summary>min(w/h, h/w): 1 for a square, small for a strip.</summary>
    public double AspectRatio => Math.Min((double)Width / Height, (double)Height / Width);

    /// <summary>√(w h), the side of a square of equal area.</summary>
    public double SizeSqrt => Math.Sqrt((double)Width * Height);

    /// <summary>Whether the image is flat: a single gray level, so its perceptual hash says nothing.</summary>
    public bool IsFlat => Contrast == 0;
}
