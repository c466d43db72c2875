using Maas.Analysis;
using Maas.Imaging;
using Maas.Monitoring.Detectors;
using Maas.Testing;

namespace Maas.Monitoring.Tests;

/// <summary>
/// Property drift on real images: Fashion-MNIST test images measured by <see cref="ImageMeasurement"/>, the first
/// 600 as the reference and later disjoint slices as windows.
/// </summary>
public class FashionMnistPropertyDriftTests
{
    // Declared first: static fields initialize in text order, and the reference is measured from these.
    private static readonly (byte[] Pixels, int Label)[] s_images = FashionMnist.TestImages(0, 1350);

    private static readonly MonitoringReference s_reference = new(Measured(0, 600, darken: 1));

    [Fact]
    public void Unshifted_fashion_mnist_windows_do_not_alarm()
    {
        // Four disjoint windows of the same test set: Bonferroni-controlled at 0.05 overall, one alarm at most.
        var alarms = Enumerable.Range(0, 4)
            .Count(w => new PropertyDriftDetector().Evaluate(s_reference, Measured(600 + (w * 150), 150, darken: 1), CancellationToken.None).Detected);
        Assert.True(alarms <= 1, $"{alarms} of 4 unshifted windows alarmed");
    }

    [Fact]
    public void Darkened_fashion_mnist_images_are_detected_on_brightness()
    {
        var result = new PropertyDriftDetector().Evaluate(s_reference, Measured(1200, 150, darken: 0.7), CancellationToken.None);
        Assert.Equal(DetectorStatus.Detected, result.Status);
        Assert.True(Assert.Single(result.Components, c => c.Name == "brightness").Detected);
    }

    private static MonitoringSample[] Measured(int start, int count, double darken) =>
        Enumerable.Range(start, count).Select(i =>
        {
            var gray = s_images[i].Pixels;
            var rgb = new byte[gray.Length * 3];
            for (var p = 0; p < gray.Length; p++)
            {
                rgb[3 * p] = rgb[(3 * p) + 1] = rgb[(3 * p) + 2] = (byte)Math.Round(gray[p] * darken);
            }

            var features = ImageMeasurement.Measure(new DecodedImage(rgb, 28, 28, 3), IssueThresholds.Default);
            // Property drift looks only at the properties; the model outputs are placeholders of the right shape.
            return new MonitoringSample(ImageProperties.From(features, 1), [1f], [0f]);
        }).ToArray();
}
