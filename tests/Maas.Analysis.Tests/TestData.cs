using Maas.Core;
using Maas.Core.Datasets;
using Maas.Storage;
using SkiaSharp;

namespace Maas.Analysis.Tests;

/// <summary>Builds small datasets in a temporary home from generated and real images.</summary>
internal static class TestData
{
    public static MaasStores OpenStores(string home) => MaasStores.Open(new MaasHome(home));

    /// <summary>Stores each image and commits them as one version.</summary>
    public static async Task<DatasetVersion> CommitAsync(MaasStores stores, string name, IReadOnlyList<string> classes,
        IEnumerable<(string Id, byte[] Bytes, int Label, Split Split)> images)
    {
        var samples = new List<Sample>();
        foreach (var (id, bytes, label, split) in images)
        {
            var hash = await stores.Blobs.PutAsync(bytes, CancellationToken.None);
            var info = Maas.Imaging.ImageDecoder.ReadInfo(bytes, id);
            samples.Add(new Sample(id, hash, label, split, id + "." + info.Format.ToString().ToLowerInvariant(), info.Width, info.Height, info.Channels,
                info.Format.ToString().ToLowerInvariant()));
        }

        await stores.Blobs.FlushAsync(CancellationToken.None);
        return await stores.Datasets.CommitVersionAsync(name, classes, samples, "test", CancellationToken.None);
    }

    /// <summary>Gray pixels as a PNG.</summary>
    public static byte[] Png(byte[] gray, int width, int height) => Maas.Imaging.ImageEncoder.EncodePng(gray, width, height, 1);

    /// <summary>Gray pixels replicated to RGB, as a PNG: other bytes than <see cref="Png"/>, the same decoded pixels.</summary>
    public static byte[] RgbPng(byte[] gray, int width, int height) =>
        Maas.Imaging.ImageEncoder.EncodePng(gray.SelectMany(v => new[] { v, v, v }).ToArray(), width, height, 3);

    /// <summary>Gray pixels resized by <paramref name="scale"/> and encoded as JPEG: a near duplicate.</summary>
    public static byte[] ResizedJpeg(byte[] gray, int width, int height, double scale, int quality = 85)
    {
        var info = new SKImageInfo(width, height, SKColorType.Gray8, SKAlphaType.Opaque);
        using var bitmap = new SKBitmap(info);
        System.Runtime.InteropServices.Marshal.Copy(gray, 0, bitmap.GetPixels(), gray.Length);
        using var resized = bitmap.Resize(new SKImageInfo((int)(width * scale), (int)(height * scale), SKColorType.Rgba8888, SKAlphaType.Premul),
            new SKSamplingOptions(SKFilterMode.Linear));
        using var image = SKImage.FromBitmap(resized);
        using var data = image.Encode(SKEncodedImageFormat.Jpeg, quality);
        return data.ToArray();
    }

    /// <summary>A textured gray image: a seeded random pattern smoothed by <paramref name="blur"/> box passes.</summary>
    public static byte[] Texture(int width, int height, int seed, int blur, int low = 0, int high = 255)
    {
        var random = new Random(seed);
        var pixels = new double[width * height];
        for (var i = 0; i < pixels.Length; i++)
        {
            pixels[i] = random.NextDouble();
        }

        for (var pass = 0; pass < blur; pass++)
        {
            var next = new double[pixels.Length];
            for (var y = 0; y < height; y++)
            {
                for (var x = 0; x < width; x++)
                {
                    double sum = 0;
                    var count = 0;
                    for (var dy = -1; dy <= 1; dy++)
                    {
                        for (var dx = -1; dx <= 1; dx++)
                        {
                            int yy = y + dy, xx = x + dx;
                            if (yy >= 0 && yy < height && xx >= 0 && xx < width)
                            {
                                sum += pixels[(yy * width) + xx];
                                count++;
                            }
                        }
                    }

                    next[(y * width) + x] = sum / count;
                }
            }

            pixels = next;
        }

        double min = pixels.Min(), max = pixels.Max();
        return pixels.Select(v => (byte)Math.Round(low + ((v - min) / Math.Max(max - min, 1e-9) * (high - low)))).ToArray();
    }
}
