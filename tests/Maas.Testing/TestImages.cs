using System.Buffers.Binary;
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

    /// <summary>
    /// A 1x1 PNG whose header (with a valid CRC) declares <paramref name="width"/> x <paramref name="height"/>: a
    /// decompression bomb that must be refused from the header, before any pixel buffer is allocated.
    /// </summary>
    public static byte[] PixelBombPng(int width, int height)
    {
        var png = FlatGrayPng(1, 1, 0);
        BinaryPrimitives.WriteInt32BigEndian(png.AsSpan(16), width);
        BinaryPrimitives.WriteInt32BigEndian(png.AsSpan(20), height);
        BinaryPrimitives.WriteUInt32BigEndian(png.AsSpan(29), Crc32(png.AsSpan(12, 17)));
        return png;
    }

    private static uint Crc32(ReadOnlySpan<byte> data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in data)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
            }
        }

        return ~crc;
    }
}
