using System.Buffers;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Maas.Core.Errors;
using Maas.Core.Pipelines;
using Maas.Imaging.Jpeg;
using Maas.Imaging.Png;
using SkiaSharp;

namespace Maas.Imaging;

/// <summary>
/// Decodes PNG, JPEG, WebP, GIF and BMP with SkiaSharp. The format is sniffed from the bytes, the header is checked
/// against <see cref="DecodeLimits"/> before pixels are allocated, and every failure names the source. Small plain PNGs
/// (datasets of thumbnails, MNIST-like sets) take a managed path with the same result and a fraction of the per-file
/// cost; see <see cref="SmallPngDecoder"/>.
/// </summary>
public static class ImageDecoder
{
    /// <summary>
    /// Reads the header of <paramref name="bytes"/> without decoding pixels. The size is as stored: <see cref="Decode"/>
    /// applies the EXIF orientation, which swaps width and height for photos taken sideways.
    /// </summary>
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

    /// <summary>
    /// Decodes <paramref name="bytes"/> to interleaved 8-bit pixels in <paramref name="color"/>, upright: the EXIF
    /// orientation is applied. Alpha is dropped, keeping each pixel's unpremultiplied colour (PIL's <c>convert('RGB')</c>);
    /// CMYK JPEGs are converted to RGB.
    /// </summary>
    /// <param name="bytes">The encoded image.</param>
    /// <param name="color">Gray gives one channel (ITU-R BT.601 luma); RGB gives three.</param>
    /// <param name="limits">Size bounds; <see cref="DecodeLimits.Default"/> when null.</param>
    /// <param name="source">Names the input in error messages.</param>
    /// <exception cref="UnsupportedImageException">Empty, not an image, truncated, corrupt or over the limits.</exception>
    public static DecodedImage Decode(ReadOnlySpan<byte> bytes, ColorMode color, DecodeLimits? limits, string source)
    {
        var raster = DecodeToRaster(bytes, color, limits, source);
        try
        {
            return new DecodedImage(raster.Pixels.ToArray(), raster.Width, raster.Height, raster.Channels);
        }
        finally
        {
            raster.Return();
        }
    }

    /// <summary>As <see cref="Decode"/>, into a pooled raster the caller returns.</summary>
    internal static Raster DecodeToRaster(ReadOnlySpan<byte> bytes, ColorMode color, DecodeLimits? limits, string source)
    {
        limits ??= DecodeLimits.Default;
        if (SmallPngDecoder.TryDecode(bytes, color, limits, out var small))
        {
            return small;
        }

        if (ImageFormatSniffer.Sniff(bytes) == ImageFormat.Jpeg && TurboJpegDecoder.TryDecodeRgb(bytes, limits, out var rgb, out _))
        {
            var decoded = rgb;
            if (color == ColorMode.Gray)
            {
                decoded = GrayOf(rgb);
                rgb.Return();
            }

            return Upright(decoded, JpegOrigin(bytes));
        }

        return DecodeToRasterWithCodec(bytes, color, limits, source);
    }

    /// <summary>As <see cref="DecodeToRaster"/>, always through the native codec: the reference the managed PNG path must match.</summary>
    internal static Raster DecodeToRasterWithCodec(ReadOnlySpan<byte> bytes, ColorMode color, DecodeLimits? limits, string source)
    {
        Raster decoded = default;
        var gray = color == ColorMode.Gray;
        var origin = SKEncodedOrigin.TopLeft;
        DecodeCore(bytes, limits, source, directGray: gray, (pixels, info, isGray, codecOrigin) =>
        {
            origin = codecOrigin;
            decoded = isGray ? Raster.CopyOf(pixels, info.Width, info.Height, 1)
                : gray ? ToGray(pixels, info.Width, info.Height) : ToRgb(pixels, info.Width, info.Height);
        });
        return Upright(decoded, origin);
    }

    private static Raster Upright(Raster decoded, SKEncodedOrigin origin)
    {
        if (origin is SKEncodedOrigin.TopLeft or < SKEncodedOrigin.TopLeft or > SKEncodedOrigin.LeftBottom)
        {
            return decoded;
        }

        // Cameras store pixels as the sensor read them and record the turn in EXIF; models should see the photo upright.
        var upright = PixelGeometry.Orient(decoded, (int)origin);
        decoded.Return();
        return upright;
    }

    private static SKEncodedOrigin JpegOrigin(ReadOnlySpan<byte> bytes)
    {
        if (!JpegExif.MayHaveOrientation(bytes))
        {
            return SKEncodedOrigin.TopLeft;
        }

        // Only the header is parsed (no pixels): Skia reads the EXIF orientation as the full path does.
        using var data = SKData.CreateCopy(bytes);
        using var codec = SKCodec.Create(data);
        return codec?.EncodedOrigin ?? SKEncodedOrigin.TopLeft;
    }

    private static Raster GrayOf(in Raster rgb)
    {
        var gray = Raster.Rent(rgb.Width, rgb.Height, 1);
        var from = rgb.Pixels;
        var to = gray.Pixels;
        for (int i = 0, j = 0; i < to.Length; i++, j += 3)
        {
            to[i] = PixelColor.Luma(from[j], from[j + 1], from[j + 2]);
        }

        return gray;
    }

    /// <summary>
    /// Checks that <paramref name="bytes"/> is a whole, decodable image within <paramref name="limits"/> by decoding
    /// every pixel into a pooled buffer, and returns what its header says. This is what import runs on every file:
    /// one decode, no pixel copy kept.
    /// </summary>
    /// <exception cref="UnsupportedImageException">Empty, not an image, truncated, corrupt or over the limits.</exception>
    public static ImageInfo Validate(ReadOnlySpan<byte> bytes, DecodeLimits? limits, string source)
    {
        limits ??= DecodeLimits.Default;
        if (SmallPngDecoder.TryValidate(bytes, limits, out var small))
        {
            return small!;
        }

        if (ImageFormatSniffer.Sniff(bytes) == ImageFormat.Jpeg && TurboJpegDecoder.TryDecodeRgb(bytes, limits, out var rgb, out var grayscale))
        {
            rgb.Return();
            return new ImageInfo(ImageFormat.Jpeg, rgb.Width, rgb.Height, grayscale ? 1 : 3);
        }

        return ValidateWithCodec(bytes, limits, source);
    }

    /// <summary>As <see cref="Validate"/>, always through the native codec.</summary>
    internal static ImageInfo ValidateWithCodec(ReadOnlySpan<byte> bytes, DecodeLimits? limits, string source) =>
        DecodeCore(bytes, limits, source, directGray: false, null);

    private delegate void PixelsDecoded(ReadOnlySpan<byte> pixels, ImageInfo info, bool gray, SKEncodedOrigin origin);

    private static ImageInfo DecodeCore(ReadOnlySpan<byte> bytes, DecodeLimits? limits, string source, bool directGray, PixelsDecoded? use)
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

        // A gray source decoded straight to gray skips the RGBA detour (and its 4x buffer); the luma of R = G = B is exact.
        var gray = directGray && codec.Info.ColorType == SKColorType.Gray8;
        var length = checked(info.Width * info.Height * (gray ? 1 : 4));
        var rgba = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            // Unpremultiplied output keeps each pixel's colour whatever its alpha, which ToRgb then drops (PIL's convert('RGB')).
            var target = gray
                ? new SKImageInfo(info.Width, info.Height, SKColorType.Gray8, SKAlphaType.Opaque)
                : new SKImageInfo(info.Width, info.Height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
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

            use?.Invoke(rgba.AsSpan(0, length), info, gray, codec.EncodedOrigin);
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

    private static Raster ToGray(ReadOnlySpan<byte> rgba, int width, int height)
    {
        var raster = Raster.Rent(width, height, 1);
        var gray = raster.Pixels;
        for (int i = 0, j = 0; i < gray.Length; i++, j += 4)
        {
            // Integer BT.601 weights with rounding: exact for gray sources (R = G = B gives back the same value).
            gray[i] = PixelColor.Luma(rgba[j], rgba[j + 1], rgba[j + 2]);
        }

        return raster;
    }

    private static Raster ToRgb(ReadOnlySpan<byte> rgba, int width, int height)
    {
        var raster = Raster.Rent(width, height, 3);
        var rgb = raster.Pixels;
        var pixels = width * height;
        var i = 0;
        if (Vector128.IsHardwareAccelerated)
        {
            // Four pixels per shuffle, 12 of the 16 bytes kept: for a 2560x1600 photo 1 ms instead of the byte loop's
            // 8-13 ms on this machine (a quarter of the JPEG decode itself).
            var keep = Vector128.Create((byte)0, 1, 2, 4, 5, 6, 8, 9, 10, 12, 13, 14, 0xFF, 0xFF, 0xFF, 0xFF);
            ref var from = ref MemoryMarshal.GetReference(rgba);
            ref var to = ref MemoryMarshal.GetReference(rgb);
            for (; i + 4 <= pixels && (i * 3) + 16 <= rgb.Length; i += 4)
            {
                Vector128.Shuffle(Vector128.LoadUnsafe(ref from, (nuint)(i * 4)), keep).StoreUnsafe(ref to, (nuint)(i * 3));
            }
        }

        for (; i < pixels; i++)
        {
            rgb[i * 3] = rgba[i * 4];
            rgb[(i * 3) + 1] = rgba[(i * 4) + 1];
            rgb[(i * 3) + 2] = rgba[(i * 4) + 2];
        }

        return raster;
    }
}
