namespace Maas.Analysis;

/// <summary>
/// Thresholds of the image-quality checks. The definitions and defaults are CleanVision's (cleanlab/cleanvision,
/// <c>src/cleanvision/issue_managers/image_property.py</c> and <c>image_property_issue_manager.py</c>, release 0.3.x;
/// the same defaults as cleanlab's <c>DEFAULT_CLEANVISION_ISSUES</c> except where noted). Every score is in [0, 1]
/// and lower is worse; an image has the issue when its score is below the threshold.
/// </summary>
/// <param name="Dark">
/// Dark: score = the 99th percentile of per-pixel perceived brightness √(0.241R² + 0.691G² + 0.068B²)/255 (gray
/// pixels: value/255). An image is dark when even its brightest pixels are dim. The default is 0.32.
/// </param>
/// <param name="Light">Light: score = 1 − the 5th percentile of per-pixel brightness. The default is 0.05.</param>
/// <param name="LowInformation">
/// Low information: score = min(1, <paramref name="LowInformationNormalizingFactor"/> × entropy), with entropy in bits
/// of the 8-bit histogram of every band (PIL's <c>Image.entropy()</c>). The default is 0.3 (entropy below 3 bits);
/// cleanlab's Datalab uses 0.15.
/// </param>
/// <param name="LowInformationNormalizingFactor">Scales entropy into the score. The default is 0.1.</param>
/// <param name="OddAspectRatio">Odd aspect ratio: score = min(w/h, h/w). The default is 0.35.</param>
/// <param name="OddSize">
/// Odd size: with s = √(w h) and m the dataset's median s, score = 1 / max(s/m, m/s); an image has the issue when
/// its score is below 1 / <paramref name="OddSize"/>, i.e. it is more than that many times larger or smaller than
/// the median. The default is 10.
/// </param>
/// <param name="Blurry">
/// Blurry: the image is converted to 8-bit gray and shrunk so its longer side is at most
/// <paramref name="BlurryMaxResolution"/>; b = standard deviation of PIL's FIND_EDGES filter output (3x3 kernel, 8 in
/// the middle, −1 around); g = standard deviation of the 256-bin gray histogram;
/// blur = 1 − exp(−b × <paramref name="BlurryNormalizingFactor"/>), std = 1 − exp(−g × factor), std is set to 0 when
/// at most <paramref name="BlurryColorThreshold"/>; score = min(1, blur + std). The default threshold is 0.29.
/// </param>
/// <param name="BlurryNormalizingFactor">The default is 0.01.</param>
/// <param name="BlurryColorThreshold">The default is 0.18.</param>
/// <param name="BlurryMaxResolution">CleanVision's MAX_RESOLUTION_FOR_BLURRY_DETECTION. The default is 64.</param>
public sealed record IssueThresholds(
    double Dark = 0.32,
    double Light = 0.05,
    double LowInformation = 0.3,
    double LowInformationNormalizingFactor = 0.1,
    double OddAspectRatio = 0.35,
    double OddSize = 10.0,
    double Blurry = 0.29,
    double BlurryNormalizingFactor = 0.01,
    double BlurryColorThreshold = 0.18,
    int BlurryMaxResolution = 64)
{
    /// <summary>CleanVision's defaults.</summary>
    public static IssueThresholds Default { get; } = new();
}
