using System.Buffers;
using System.Runtime.InteropServices;
using Maas.Core.Errors;
using Maas.Core.Pipelines;
using SkiaSharp;

namespace Maas.Imaging;

/// <summary>
/// Decodes PNG, JPEG, WebP, GIF and BMP with SkiaSharp. The format is sniffed from the bytes, the header is checked
/// against <see cref="DecodeLimits"/> before pixels are allocated, and every failure names the source.
/// </summary>
public static class ImageDecoder
{
    /// <summary>Reads the header of <paramref name="bytes"/> without decoding pixels.</summary>
    /// <param name="bytes">The encoded image.</param>
    /// <param name="source">Names the input in error messages (a path, an upload).</param>
    /// <exception cref="UnsupportedImageException">Empty, not an image, or unreadable header.</exception>
    public static ImageInfo ReadInfo(ReadOnlySpan<byte> bytes, string source)
    {
        var format = SniffOrThrow(bytes, source);
        using var data = SKData.CreateCopy(bytes);
        using var codec = SKCodec.Create(data)
            ?? throw new UnsupportedImageException($"{source}: the {format.ToName()} header is corrupt.");
        return InfoOf(format, codec);
    }

    /// <summary>Decodes <paramref name="bytes"/> to interleaved 8-bit pixels in <paramref name="color"/>.</summary>
    /// <param name="bytes">The encoded image.</param>
    /// <param name="color">Gray gives one channel (ITU-R BT.601 luma); RGB gives three, alpha composited over black.</param>
    /// <param name="limits">Size bounds; <see cref="DecodeLimits.Default"/> when null.</param>
    /// <param name="source">Names the input in error messages.</param>
    /// <exception cref="UnsupportedImageException">Empty, not an image, truncated, corrupt or over the limits.</exception>
    public static DecodedImage Decode(ReadOnlySpan<byte> bytes, ColorMode color, DecodeLimits? limits, string source)
    {
        DecodedImage? decoded = null;
        DecodeRgba(bytes, limits, source, (rgba, info) =>
            decoded = color == ColorMode.Gray ? ToGray(rgba, info.Width, info.Height) : ToRgb(rgba, info.Width, info.Height));
        return decoded!;
    }

    /// <summary>
    /// Checks that <paramref name="bytes"/> is a whole, decodable image within <paramref name="limits"/> by decoding
    /// every pixel into a pooled buffer, and returns what its header says. This is what import runs on every file:
    /// one decode, no pixel copy kept.
    /// </summary>
    /// <exception cref="UnsupportedImageException">Empty, not an image, truncated, corrupt or over the limits.</exception>
    public static ImageInfo Validate(ReadOnlySpan<byte> bytes, DecodeLimits? limits, string source) =>
        DecodeRgba(bytes, limits, source, null);

    private static ImageInfo DecodeRgba(ReadOnlySpan<byte> bytes, DecodeLimits? limits, string source, Action<byte[], ImageInfo>? use)
    {
        limits ??= DecodeLimits.Default;
        if (bytes.Length > limits.MaxBytes)
        {
            throw new UnsupportedImageException($"{source}: {bytes.Length} bytes is over the limit of {limits.MaxBytes} bytes.");
        }

        var format = SniffOrThrow(bytes, source);
        using var data = SKData.CreateCopy(bytes);
        using var codec = SKCodec.Create(data)
            ?? throw new UnsupportedImageException($"{source}: the {format.ToName()} header is corrupt.");
        var info = InfoOf(format, codec);
        if ((long)info.Width * info.Height > limits.MaxPixels)
        {
            throw new UnsupportedImageException(
                $"{source}: {info.Width}x{info.Height} is over the limit of {limits.MaxPixels} pixels.");
        }

        var length = checked(info.Width * info.Height * 4);
        var rgba = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            // Premultiplied output composites alpha over black, which is what a model should see for transparent areas.
            var target = new SKImageInfo(info.Width, info.Height, SKColorType.Rgba8888, SKAlphaType.Premul);
            var handle = GCHandle.Alloc(rgba, GCHandleType.Pinned);
            SKCodecResult result;
            try
            {
                result = codec.GetPixels(target, handle.AddrOfPinnedObject());
            }
            finally
            {
                handle.Free();
            }

            if (result != SKCodecResult.Success)
            {
                throw new UnsupportedImageException(result == SKCodecResult.IncompleteInput
                    ? $"{source}: the {format.ToName()} data is truncated."
                    : $"{source}: the {format.ToName()} data could not be decoded ({result}).");
            }

            use?.Invoke(rgba, info);
            return info;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rgba);
        }
    }

    private static ImageFormat SniffOrThrow(ReadOnlySpan<byte> bytes, string source)
    {
        if (bytes.IsEmpty)
        {
            throw new UnsupportedImageException($"{source}: the file is empty.");
        }

        var format = ImageFormatSniffer.Sniff(bytes);
        return format == ImageFormat.Unknown
            ? throw new UnsupportedImageException($"{source}: not a PNG, JPEG, WebP, GIF or BMP image (unrecognised leading bytes).")
            : format;
    }

    private static ImageInfo InfoOf(ImageFormat format, SKCodec codec)
    {
        var info = codec.Info;
        var channels = info.ColorType == SKColorType.Gray8 ? 1 : info.AlphaType == SKAlphaType.Opaque ? 3 : 4;
        return new ImageInfo(format, info.Width, info.Height, channels);
    }

    private static DecodedImage ToGray(byte[] rgba, int width, int height)
    {
        var gray = new byte[width * height];
        for (int i = 0, j = 0; i < gray.Length; i++, j += 4)
        {
            // Integer BT.601 weights with rounding: exact for gray sources (R = G = B gives back the same value).
            gray[i] = (byte)(((299 * rgba[j]) + (587 * rgba[j + 1]) + (114 * rgba[j + 2]) + 500) / 1000);
        }

        return new DecodedImage(gray, width, height, 1);
    }

    private static DecodedImage ToRgb(byte[] rgba, int width, int height)
    {
        var rgb = new byte[width * height * 3];
        for (int i = 0, j = 0; i < rgb.Length; i += 3, j += 4)
        {
            rgb[i] = rgba[j];
            rgb[i + 1] = rgba[j + 1];
            rgb[i + 2] = rgba[j + 2];
        }

        return new DecodedImage(rgb, width, height, 3);
    }
}
