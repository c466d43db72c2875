using System.Buffers.Binary;
using Maas.Imaging;
using SkiaSharp;

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

    /// <summary>A PNG with an alpha channel from unpremultiplied RGBA bytes (HWC, 4 per pixel).</summary>
    public static byte[] RgbaPng(byte[] rgba, int width, int height) =>
        EncodeSkia(rgba, new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Unpremul), SKEncodedImageFormat.Png, 100);

    /// <summary>A JPEG encoded by SkiaSharp from RGB bytes (HWC, 3 per pixel).</summary>
    public static byte[] RgbJpeg(byte[] rgb, int width, int height, int quality = 95)
    {
        var rgba = new byte[width * height * 4];
        for (int i = 0, j = 0; i < rgb.Length; i += 3, j += 4)
        {
            (rgba[j], rgba[j + 1], rgba[j + 2], rgba[j + 3]) = (rgb[i], rgb[i + 1], rgb[i + 2], 255);
        }

        return EncodeSkia(rgba, new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Opaque), SKEncodedImageFormat.Jpeg, quality);
    }

    /// <summary>
    /// <paramref name="jpeg"/> with an EXIF APP1 segment inserted after SOI whose only tag is Orientation (0x0112) =
    /// <paramref name="orientation"/>: 1 upright, 3 upside down, 6 needs a quarter turn clockwise, 8 counter-clockwise.
    /// </summary>
    public static byte[] WithExifOrientation(byte[] jpeg, ushort orientation)
    {
        // "Exif\0\0", then a big-endian TIFF header pointing at IFD0 (offset 8), one SHORT entry, no next IFD.
        byte[] tiff =
        [
            (byte)'M', (byte)'M', 0, 42, 0, 0, 0, 8,
            0, 1,
            0x01, 0x12, 0, 3, 0, 0, 0, 1, (byte)(orientation >> 8), (byte)orientation, 0, 0,
            0, 0, 0, 0,
        ];
        var payload = "Exif\0\0"u8.ToArray().Concat(tiff).ToArray();
        var segment = new byte[4 + payload.Length];
        segment[0] = 0xFF;
        segment[1] = 0xE1;
        BinaryPrimitives.WriteUInt16BigEndian(segment.AsSpan(2), (ushort)(payload.Length + 2));
        payload.CopyTo(segment, 4);
        return [.. jpeg.AsSpan(0, 2), .. segment, .. jpeg.AsSpan(2)];
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

    private static byte[] EncodeSkia(byte[] pixels, SKImageInfo info, SKEncodedImageFormat format, int quality)
    {
        using var bitmap = new SKBitmap();
        unsafe
        {
            fixed (byte* p = pixels)
            {
                bitmap.InstallPixels(info, (nint)p, info.RowBytes);
                using var pixmap = bitmap.PeekPixels();
                using var encoded = pixmap.Encode(format, quality)
                    ?? throw new InvalidOperationException($"SkiaSharp could not encode {format}.");
                return encoded.ToArray();
            }
        }
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

    /// <summary>A real photograph shrunk to at most <paramref name="side"/> pixels, as a JPEG.</summary>
    public static byte[] Photo(string path, int side)
    {
        using var original = SKBitmap.Decode(path);
        var scale = (double)side / Math.Max(original.Width, original.Height);
        using var resized = original.Resize(new SKImageInfo((int)(original.Width * scale), (int)(original.Height * scale)), new SKSamplingOptions(SKFilterMode.Linear));
        using var image = SKImage.FromBitmap(resized);
        using var data = image.Encode(SKEncodedImageFormat.Jpeg, 90);
        return data.ToArray();
    }
}
