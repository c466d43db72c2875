using SkiaSharp;

namespace Maas.Imaging;

/// <summary>Encodes raw pixels, e.g. the grayscale rasters of IDX files, into PNG for the blob store.</summary>
public static class ImageEncoder
{
    /// <summary>Encodes 8-bit pixels (1 channel gray or 3 channels RGB, HWC) as a lossless PNG.</summary>
    public static byte[] EncodePng(ReadOnlySpan<byte> pixels, int width, int height, int channels)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        if (channels is not (1 or 3))
        {
            throw new ArgumentOutOfRangeException(nameof(channels), channels, "PNG encoding takes 1 or 3 channels.");
        }

        if (pixels.Length != width * height * channels)
        {
            throw new ArgumentException($"{pixels.Length} bytes is not {width}x{height}x{channels}.", nameof(pixels));
        }

        SKImageInfo info;
        byte[] buffer;
        if (channels == 1)
        {
            info = new SKImageInfo(width, height, SKColorType.Gray8, SKAlphaType.Opaque);
            buffer = pixels.ToArray();
        }
        else
        {
            info = new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Opaque);
            buffer = new byte[width * height * 4];
            for (int i = 0, j = 0; i < pixels.Length; i += 3, j += 4)
            {
                buffer[j] = pixels[i];
                buffer[j + 1] = pixels[i + 1];
                buffer[j + 2] = pixels[i + 2];
                buffer[j + 3] = 255;
            }
        }

        using var bitmap = new SKBitmap();
        unsafe
        {
            fixed (byte* p = buffer)
            {
                bitmap.InstallPixels(info, (nint)p, info.RowBytes);
                using var pixmap = bitmap.PeekPixels();
                using var encoded = pixmap.Encode(SKEncodedImageFormat.Png, 100)
                    ?? throw new InvalidOperationException("SkiaSharp could not encode the PNG.");
                return encoded.ToArray();
            }
        }
    }
}
