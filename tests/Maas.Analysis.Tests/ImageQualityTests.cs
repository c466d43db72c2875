using Maas.Analysis.Anomalies;
using Maas.Analysis.Reports;
using Maas.Core.Pipelines;
using Maas.Imaging;

namespace Maas.Analysis.Tests;

public sealed class ImageQualityTests
{
    private static ImageFeatures Measure(byte[] encoded) =>
        ImageMeasurement.Measure(ImageDecoder.Decode(encoded, ColorMode.Rgb, null, "test"), IssueThresholds.Default);

    private static HashSet<IssueKind> IssuesOf(params ImageFeatures[] images)
    {
        // Padded with ordinary images so odd_size compares against a typical median.
        var ordinary = Enumerable.Range(0, 5).Select(i => Measure(TestData.Png(TestData.Texture(64, 64, 100 + i, 0), 64, 64)));
        var all = images.Concat(ordinary).ToArray();
        return ImageQualityChecks.Run(all, IssueThresholds.Default).Where(c => c.Flagged.Any(f => f.Index == 0)).Select(c => c.Kind).ToHashSet();
    }

    [Fact]
    public void DarkImage_IsDarkAndNothingElseButGrayscale()
    {
        var dark = Measure(TestData.Png(TestData.Texture(64, 64, 1, 0, low: 0, high: 60), 64, 64));
        Assert.True(dark.BrightnessP99 < 0.32);
        Assert.Equal([IssueKind.Dark, IssueKind.Grayscale], IssuesOf(dark).Order());
    }

    [Fact]
    public void LightImage_IsLight()
    {
        var light = Measure(TestData.Png(TestData.Texture(64, 64, 2, 0, low: 248, high: 255), 64, 64));
        Assert.Contains(IssueKind.Light, IssuesOf(light));
        Assert.DoesNotContain(IssueKind.Dark, IssuesOf(light));
    }

    [Fact]
    public void BlurredImage_IsBlurry_AndItsSharpOriginalIsNot()
    {
        // A soft Gaussian blob (σ 16 px) is all gentle gradients; the same blob with pixel noise added has sharp edges.
        var blob = new byte[64 * 64];
        for (var y = 0; y < 64; y++)
        {
            for (var x = 0; x < 64; x++)
            {
                var r2 = ((x - 31.5) * (x - 31.5)) + ((y - 31.5) * (y - 31.5));
                blob[(y * 64) + x] = (byte)(255 * Math.Exp(-r2 / (2 * 16.0 * 16.0)));
            }
        }

        var noisy = blob.Select((v, i) => (byte)Math.Clamp(v + (((i * 7919 % 13) - 6) * 6), 0, 255)).ToArray();
        var blurred = Measure(TestData.Png(blob, 64, 64));
        var sharp = Measure(TestData.Png(noisy, 64, 64));
        Assert.Contains(IssueKind.Blurry, IssuesOf(blurred));
        Assert.DoesNotContain(IssueKind.Blurry, IssuesOf(sharp));
        Assert.True(blurred.Sharpness < sharp.Sharpness / 10);
    }

    [Fact]
    public void ConstantImage_IsLowInformationWithZeroEntropyAndContrast()
    {
        var flat = Measure(TestData.Png(Enumerable.Repeat((byte)128, 64 * 64).ToArray(), 64, 64));
        Assert.Equal(0, flat.Entropy);
        Assert.Equal(0, flat.Contrast);
        Assert.Contains(IssueKind.LowInformation, IssuesOf(flat));
    }

    [Fact]
    public void StripAndTinyImages_HaveOddAspectRatioAndOddSize()
    {
        var strip = Measure(TestData.Png(TestData.Texture(200, 20, 4, 0), 200, 20));
        Assert.Contains(IssueKind.OddAspectRatio, IssuesOf(strip));
        var tiny = Measure(TestData.Png(TestData.Texture(4, 4, 5, 0), 4, 4));
        Assert.Contains(IssueKind.OddSize, IssuesOf(tiny));
    }

    [Fact]
    public void ColourImage_IsNotGrayscale_AndItsChannelSumsAreSeparate()
    {
        var colour = ImageMeasurement.Measure(new DecodedImage([255, 0, 0, 255, 0, 0], 2, 1, 3), IssueThresholds.Default);
        Assert.False(colour.IsGrayscale);
        Assert.Equal([2.0, 0, 0], colour.ChannelSum);
        // Brightness of pure red: √0.241.
        Assert.Equal(Math.Sqrt(0.241), colour.Brightness, 6);
    }

    [Fact]
    public void PerceptualHash_SurvivesJpegAndResizing_ButSeparatesDifferentImages()
    {
        var (pixels, _) = Maas.Testing.FashionMnist.TestImage(0);
        var (other, _) = Maas.Testing.FashionMnist.TestImage(1);
        var original = Measure(TestData.Png(pixels, 28, 28)).PerceptualHash;
        var resized = Measure(TestData.ResizedJpeg(pixels, 28, 28, 2)).PerceptualHash;
        var different = Measure(TestData.Png(other, 28, 28)).PerceptualHash;
        Assert.True(PerceptualHash.Distance(original, resized) <= 4, $"{PerceptualHash.Distance(original, resized)} bits apart");
        Assert.True(PerceptualHash.Distance(original, different) > 4);
    }

    [Fact]
    public void HammingIndex_FindsExactlyThePairsWithinTheRadius_LikeAllPairs()
    {
        var random = new Random(7);
        var hashes = new ulong[400];
        for (var i = 0; i < hashes.Length; i++)
        {
            // Clusters of near hashes: a base value with a few random bit flips.
            hashes[i] = i % 4 == 0 ? (ulong)random.NextInt64() : hashes[i - 1] ^ (1UL << random.Next(64)) ^ (1UL << random.Next(64));
        }

        var expected = new HashSet<(int, int)>();
        for (var a = 0; a < hashes.Length; a++)
        {
            for (var b = a + 1; b < hashes.Length; b++)
            {
                if (PerceptualHash.Distance(hashes[a], hashes[b]) <= 5)
                {
                    expected.Add((a, b));
                }
            }
        }

        var found = new HammingIndex(hashes, 5).Pairs(CancellationToken.None).Select(p => (p.A, p.B)).ToHashSet();
        Assert.True(expected.Count > 100);
        Assert.Equal(expected.Order(), found.Order());
    }
}
