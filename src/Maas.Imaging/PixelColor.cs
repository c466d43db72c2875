namespace Maas.Imaging;

/// <summary>Colour adjustments of 8-bit images: blends with black, a mean gray or the image's own grayscale, and luma.</summary>
internal static class PixelColor
{
    /// <summary>ITU-R BT.601 luma with integer weights and rounding, as PIL's convert('L'); exact for gray pixels.</summary>
    public static byte Luma(byte r, byte g, byte b) => (byte)(((299 * r) + (587 * g) + (114 * b) + 500) / 1000);

    /// <summary>Multiplies every value by <paramref name="factor"/> (a blend with black), through a 256-entry table.</summary>
    public static void Brightness(Span<byte> pixels, float factor) => Blend(pixels, factor, 0);

    /// <summary>Blends with the image's mean gray level: <c>f * v + (1 - f) * mean</c>.</summary>
    public static void Contrast(Span<byte> pixels, int channels, float factor)
    {
        long sum = 0;
        var count = pixels.Length / channels;
        for (var i = 0; i < pixels.Length; i += channels)
        {
            sum += channels == 1 ? pixels[i] : Luma(pixels[i], pixels[i + 1], pixels[i + 2]);
        }

        Blend(pixels, factor, count == 0 ? 0 : (float)((double)sum / count));
    }

    /// <summary>Blends each pixel with its own luma: <c>f * v + (1 - f) * gray</c>; nothing to do on one channel.</summary>
    public static void Saturation(Span<byte> pixels, int channels, float factor)
    {
        if (channels != 3)
        {
            return;
        }

        var keep = 1 - factor;
        for (var i = 0; i < pixels.Length; i += 3)
        {
            var gray = keep * Luma(pixels[i], pixels[i + 1], pixels[i + 2]);
            pixels[i] = Raster.Quantize((factor * pixels[i]) + gray);
            pixels[i + 1] = Raster.Quantize((factor * pixels[i + 1]) + gray);
            pixels[i + 2] = Raster.Quantize((factor * pixels[i + 2]) + gray);
        }
    }

    /// <summary>Luma into one channel, or repeated into three.</summary>
    public static Raster Grayscale(in Raster source, int outChannels)
    {
        var output = Raster.Rent(source.Width, source.Height, outChannels);
        var src = source.Pixels;
        var dst = output.Pixels;
        var inChannels = source.Channels;
        for (int i = 0, o = 0; i < src.Length; i += inChannels)
        {
            var gray = inChannels == 1 ? src[i] : Luma(src[i], src[i + 1], src[i + 2]);
            for (var c = 0; c < outChannels; c++)
            {
                dst[o++] = gray;
            }
        }

        return output;
    }

    private static void Blend(Span<byte> pixels, float factor, float other)
    {
        // Every value maps through the same function, so 256 evaluations replace one per pixel and channel.
        Span<byte> table = stackalloc byte[256];
        var offset = (1 - factor) * other;
        for (var v = 0; v < 256; v++)
        {
            table[v] = Raster.Quantize((factor * v) + offset);
        }

        for (var i = 0; i < pixels.Length; i++)
        {
            pixels[i] = table[pixels[i]];
        }
    }
}
