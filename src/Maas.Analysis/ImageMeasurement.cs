using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;
using Maas.Analysis.Anomalies;
using Maas.Imaging;

namespace Maas.Analysis;

/// <summary>Measures the <see cref="ImageFeatures"/> of one decoded RGB image in a few passes over its pixels.</summary>
public static class ImageMeasurement
{
    /// <summary>Measures <paramref name="image"/> (3-channel interleaved RGB, as <see cref="ImageDecoder"/> gives).</summary>
    public static ImageFeatures Measure(DecodedImage image, IssueThresholds thresholds)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(thresholds);
        if (image.Channels != 3)
        {
            throw new ArgumentException("Measurement takes RGB pixels.", nameof(image));
        }

        int w = image.Width, h = image.Height, n = w * h;
        var rgb = image.Pixels;
        var gray = ArrayPool<byte>.Shared.Rent(n);
        var brightness = ArrayPool<float>.Shared.Rent(n);
        try
        {
            var histogram = new long[3 * 256];
            var grayHistogram = new long[256];
            double sumR = 0, sumG = 0, sumB = 0, sqR = 0, sqG = 0, sqB = 0;
            var isGray = true;
            for (int i = 0, j = 0; i < n; i++, j += 3)
            {
                int r = rgb[j], g = rgb[j + 1], b = rgb[j + 2];
                isGray &= r == g && g == b;
                histogram[r]++;
                histogram[256 + g]++;
                histogram[512 + b]++;
                sumR += r;
                sumG += g;
                sumB += b;
                sqR += r * r;
                sqG += g * g;
                sqB += b * b;
                // PIL's convert("L"): ITU-R 601-2 luma with rounding.
                var luma = (byte)(((299 * r) + (587 * g) + (114 * b) + 500) / 1000);
                gray[i] = luma;
                grayHistogram[luma]++;
                brightness[i] = MathF.Sqrt((0.241f * r * r) + (0.691f * g * g) + (0.068f * b * b)) / 255f;
            }

            // CleanVision reads gray images as one band and takes the percentiles of value/255 directly.
            if (isGray)
            {
                for (var i = 0; i < n; i++)
                {
                    brightness[i] = rgb[i * 3] / 255f;
                }
            }

            var span = brightness.AsSpan(0, n);
            span.Sort();
            double meanR = sumR / n, meanG = sumG / n, meanB = sumB / n;
            var meanBrightness = Math.Sqrt((0.241 * meanR * meanR) + (0.691 * meanG * meanG) + (0.068 * meanB * meanB)) / 255;
            var scale = 1.0 / 255;
            return new ImageFeatures(
                w,
                h,
                isGray,
                meanBrightness,
                Std(grayHistogram, n) / 255,
                LaplacianVariance(gray, w, h),
                isGray ? Entropy(grayHistogram) : Entropy(histogram),
                Percentile(span, 99),
                Percentile(span, 5),
                EdgeStd(gray, w, h, thresholds.BlurryMaxResolution),
                CountStd(grayHistogram),
                PixelHash(image),
                PerceptualHash.Compute(gray.AsSpan(0, n), w, h),
                Miniature.Of(gray.AsSpan(0, n), w, h),
                [sumR * scale, sumG * scale, sumB * scale],
                [sqR * scale * scale, sqG * scale * scale, sqB * scale * scale]);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(gray);
            ArrayPool<float>.Shared.Return(brightness);
        }
    }

    /// <summary>Entropy in bits of a histogram, −Σ p log₂ p over its non-empty bins.</summary>
    public static double Entropy(ReadOnlySpan<long> histogram)
    {
        double total = 0;
        foreach (var c in histogram)
        {
            total += c;
        }

        double entropy = 0;
        foreach (var c in histogram)
        {
            if (c > 0)
            {
                var p = c / total;
                entropy -= p * Math.Log2(p);
            }
        }

        return entropy;
    }

    /// <summary>NumPy's default percentile (linear interpolation) of ascending values.</summary>
    private static double Percentile(ReadOnlySpan<float> sorted, double percent)
    {
        var position = percent / 100 * (sorted.Length - 1);
        var low = (int)Math.Floor(position);
        var high = Math.Min(low + 1, sorted.Length - 1);
        return sorted[low] + ((sorted[high] - sorted[low]) * (position - low));
    }

    private static double Std(long[] grayHistogram, int n)
    {
        double sum = 0, sq = 0;
        for (var v = 0; v < 256; v++)
        {
            sum += (double)v * grayHistogram[v];
            sq += (double)v * v * grayHistogram[v];
        }

        var mean = sum / n;
        return Math.Sqrt(Math.Max(0, (sq / n) - (mean * mean)));
    }

    /// <summary>The population standard deviation of the histogram's 256 counts (numpy.std of PIL's histogram()).</summary>
    private static double CountStd(long[] histogram)
    {
        var mean = histogram.Average(c => (double)c);
        return Math.Sqrt(histogram.Average(c => (c - mean) * (c - mean)));
    }

    /// <summary>Variance of the 3x3 Laplacian [0 1 0; 1 −4 1; 0 1 0] over interior pixels; 0 for images under 3x3.</summary>
    private static double LaplacianVariance(byte[] gray, int w, int h)
    {
        if (w < 3 || h < 3)
        {
            return 0;
        }

        double sum = 0, sq = 0;
        for (var y = 1; y < h - 1; y++)
        {
            var row = y * w;
            for (var x = 1; x < w - 1; x++)
            {
                var i = row + x;
                double v = gray[i - 1] + gray[i + 1] + gray[i - w] + gray[i + w] - (4 * gray[i]);
                sum += v;
                sq += v * v;
            }
        }

        var count = (double)(w - 2) * (h - 2);
        var mean = sum / count;
        return (sq / count) - (mean * mean);
    }

    /// <summary>
    /// CleanVision's raw blurriness: shrink so the longer side is at most <paramref name="maxResolution"/> (bilinear
    /// here; PIL's default resize filter is bicubic, a small difference on already small images and none on images
    /// within the limit), apply PIL's FIND_EDGES (border pixels copied, results clipped to 0–255), and take the
    /// standard deviation of the result.
    /// </summary>
    private static double EdgeStd(byte[] gray, int w, int h, int maxResolution)
    {
        var ratio = Math.Max(w, h) / (double)maxResolution;
        var source = gray;
        int sw = w, sh = h;
        if (ratio > 1)
        {
            sw = Math.Max((int)(w / ratio), 1);
            sh = Math.Max((int)(h / ratio), 1);
            var resized = new float[sw * sh];
            BilinearResize.Resize(gray.AsSpan(0, w * h), w, h, 1, resized, sw, sh);
            source = new byte[sw * sh];
            for (var i = 0; i < source.Length; i++)
            {
                source[i] = (byte)Math.Clamp(MathF.Round(resized[i]), 0, 255);
            }
        }

        double sum = 0, sq = 0;
        for (var y = 0; y < sh; y++)
        {
            for (var x = 0; x < sw; x++)
            {
                var i = (y * sw) + x;
                double v;
                if (y == 0 || x == 0 || y == sh - 1 || x == sw - 1)
                {
                    v = source[i];
                }
                else
                {
                    var s = (8 * source[i]) - source[i - 1] - source[i + 1] - source[i - sw] - source[i + sw]
                        - source[i - sw - 1] - source[i - sw + 1] - source[i + sw - 1] - source[i + sw + 1];
                    v = Math.Clamp(s, 0, 255);
                }

                sum += v;
                sq += v * v;
            }
        }

        var count = (double)sw * sh;
        var mean = sum / count;
        return Math.Sqrt(Math.Max(0, (sq / count) - (mean * mean)));
    }

    private static string PixelHash(DecodedImage image)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Span<byte> header = stackalloc byte[8];
        BinaryPrimitives.WriteInt32LittleEndian(header, image.Width);
        BinaryPrimitives.WriteInt32LittleEndian(header[4..], image.Height);
        sha.AppendData(header);
        sha.AppendData(image.Pixels.AsSpan(0, image.Width * image.Height * 3));
        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }
}
