namespace Maas.Imaging;

/// <summary>Tells an image's format from its magic bytes.</summary>
public static class ImageFormatSniffer
{
    /// <summary>The format whose signature <paramref name="bytes"/> starts with, or <see cref="ImageFormat.Unknown"/>.</summary>
    public static ImageFormat Sniff(ReadOnlySpan<byte> bytes)
    {
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]))
        {
            return ImageFormat.Png;
        }

        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF]))
        {
            return ImageFormat.Jpeg;
        }

        if (bytes.Length >= 12 && bytes.StartsWith("RIFF"u8) && bytes[8..12].SequenceEqual("WEBP"u8))
        {
            return ImageFormat.WebP;
        }

        if (bytes.StartsWith("GIF87a"u8) || bytes.StartsWith("GIF89a"u8))
        {
            return ImageFormat.Gif;
        }

        return bytes.StartsWith("BM"u8) && bytes.Length >= 26 ? ImageFormat.Bmp : ImageFormat.Unknown;
    }

    /// <summary>The lowercase name stored in manifests (<c>png</c>, <c>jpeg</c>, ...).</summary>
    public static string ToName(this ImageFormat format) => format.ToString().ToLowerInvariant();
}
