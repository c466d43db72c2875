using Maas.Imaging;

namespace Maas.Testing;

/// <summary>Small synthetic images whose pixel values a test knows.</summary>
public static class TestImages
{
    /// <summary>A PNG of one flat gray value.</summary>
    public static byte[] FlatGrayPng(int width, int height, byte value) =>
        ImageEncoder.EncodePng(Enumerable.Repeat(value, width * height).ToArray(), width, height, 1);

    /// <summary>An RGB PNG whose pixel (x, y) is (x*16, y*16, seed) — every image distinct for distinct seeds.</summary>
    public static byte[] GradientRgbPng(int width, int height, byte seed)
    {
        var pixels = new byte[width * height * 3];
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                var i = ((y * width) + x) * 3;
                pixels[i] = (byte)(x * 16);
                pixels[i + 1] = (byte)(y * 16);
                pixels[i + 2] = seed;
            }
        }

        return ImageEncoder.EncodePng(pixels, width, height, 3);
    }
}
