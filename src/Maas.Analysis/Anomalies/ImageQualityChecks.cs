using Maas.Analysis.Reports;

namespace Maas.Analysis.Anomalies;

/// <summary>CleanVision's image-property checks over measured features; the definitions are on <see cref="IssueThresholds"/>.</summary>
public static class ImageQualityChecks
{
    /// <summary>Per check, the flagged images (index and score, lower is worse).</summary>
    public static IReadOnlyList<(IssueKind Kind, IReadOnlyList<(int Index, double Score)> Flagged)> Run(IReadOnlyList<ImageFeatures> features,
        IssueThresholds thresholds)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(thresholds);
        var sizes = features.Select(f => f.SizeSqrt).Order().ToArray();
        var median = Statistics.Summary.Quantile(sizes, 0.5);
        var checks = new (IssueKind Kind, Func<ImageFeatures, double> Score, double Threshold)[]
        {
            (IssueKind.Dark, f => f.BrightnessP99, thresholds.Dark),
            (IssueKind.Light, f => 1 - f.BrightnessP5, thresholds.Light),
            (IssueKind.Blurry, f => BlurryScore(f, thresholds), thresholds.Blurry),
            (IssueKind.LowInformation, f => Math.Min(1, thresholds.LowInformationNormalizingFactor * f.Entropy), thresholds.LowInformation),
            (IssueKind.OddAspectRatio, f => f.AspectRatio, thresholds.OddAspectRatio),
            (IssueKind.OddSize, f => 1 / Math.Max(f.SizeSqrt / median, median / f.SizeSqrt), 1 / thresholds.OddSize),
            (IssueKind.Grayscale, f => f.IsGrayscale ? 0 : 1, 0.5),
        };
        return checks.Select(check => (check.Kind, (IReadOnlyList<(int, double)>)features
            .Select((f, i) => (i, Math.Round(check.Score(f), 6)))
            .Where(x => x.Item2 < check.Threshold)
            .ToList())).ToList();
    }

    /// <summary>CleanVision's blurry score: min(1, blur + std) with the histogram term zeroed at or below the colour threshold.</summary>
    public static double BlurryScore(ImageFeatures f, IssueThresholds thresholds)
    {
        ArgumentNullException.ThrowIfNull(f);
        ArgumentNullException.ThrowIfNull(thresholds);
        var blur = 1 - Math.Exp(-f.EdgeStd * thresholds.BlurryNormalizingFactor);
        var std = 1 - Math.Exp(-f.GrayHistogramStd * thresholds.BlurryNormalizingFactor);
        return Math.Min(1, blur + (std <= thresholds.BlurryColorThreshold ? 0 : std));
    }
}
