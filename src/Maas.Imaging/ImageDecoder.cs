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
    internal static Raster DecodeToRaster(ReadOnlySpan<byte> bytes, ColorMode color, DecodeLimits? limits, string source) =>
        DecodeUpright(bytes, color, limits, source, null, out _, out _);

    /// <summary>
    /// As <see cref="DecodeToRaster"/>, but a JPEG is decoded at the smallest of libjpeg's DCT scales 1/2, 1/4, 1/8 at
    /// which it is, upright, still at least as large as <paramref name="shrinkFor"/> makes it (see
    /// <see cref="DecodeOp.Draft"/>); other images, and JPEGs the resize does not shrink to half or less, are decoded in full.
    /// </summary>
    /// <param name="bytes">The encoded image.</param>
    /// <param name="color">Gray or RGB.</param>
    /// <param name="limits">Size bounds, checked against the size in the header; <see cref="DecodeLimits.Default"/> when null.</param>
    /// <param name="source">Names the input in error messages.</param>
    /// <param name="shrinkFor">The resize that follows the decode.</param>
    /// <param name="fullSize">The upright size a full decode gives, which the resize's target is computed from.</param>
    /// <param name="denominator">The reduction applied: 1 (a full decode), 2, 4 or 8.</param>
    internal static Raster DraftToRaster(ReadOnlySpan<byte> bytes, ColorMode color, DecodeLimits? limits, string source,
        ResizeOp shrinkFor, out ImageSize fullSize, out int denominator)
    {
        ArgumentNullException.ThrowIfNull(shrinkFor);
        return DecodeUpright(bytes, color, limits, source, shrinkFor, out fullSize, out denominator);
    }

    /// <summary>As <see cref="DecodeToRasterWithCodec"/>, reduced as <see cref="DraftToRaster"/> is: the reference for the Skia fallback.</summary>
    internal static Raster DraftToRasterWithCodec(ReadOnlySpan<byte> bytes, ColorMode color, DecodeLimits? limits, string source,
        ResizeOp shrinkFor, out ImageSize fullSize, out int denominator)
    {
        ArgumentNullException.ThrowIfNull(shrinkFor);
        return DecodeUprightWithCodec(bytes, color, limits, source, shrinkFor, out fullSize, out denominator);
    }

    /// <summary>As <see cref="DecodeToRaster"/>, always through the native codec: the reference the managed PNG path must match.</summary>
    internal static Raster DecodeToRasterWithCodec(ReadOnlySpan<byte> bytes, ColorMode color, DecodeLimits? limits, string source) =>
        DecodeUprightWithCodec(bytes, color, limits, source, null, out _, out _);

    private static Raster DecodeUpright(ReadOnlySpan<byte> bytes, ColorMode color, DecodeLimits? limits, string source,
        ResizeOp? shrinkFor, out ImageSize fullSize, out int denominator)
    {
        limits ??= DecodeLimits.Default;
        denominator = 1;
        if (SmallPngDecoder.TryDecode(bytes, color, limits, out var small))
        {
            fullSize = new ImageSize(small.Width, small.Height);
            return small;
        }

        if (ImageFormatSniffer.Sniff(bytes) == ImageFormat.Jpeg && TryDecodeJpeg(bytes, color, limits, shrinkFor, out var jpeg, out fullSize, out denominator))
        {
            return jpeg;
        }

        return DecodeUprightWithCodec(bytes, color, limits, source, shrinkFor, out fullSize, out denominator);
    }

    private static Raster DecodeUprightWithCodec(ReadOnlySpan<byte> bytes, ColorMode color, DecodeLimits? limits, string source,
        ResizeOp? shrinkFor, out ImageSize fullSize, out int denominator)
    {
        Raster decoded = default;
        var gray = color == ColorMode.Gray;
        var origin = SKEncodedOrigin.TopLeft;
        var reduction = 1;
        var info = DecodeCore(bytes, limits, source, directGray: gray, shrinkFor, (pixels, size, isGray, codecOrigin, codecDenominator) =>
        {
            origin = codecOrigin;
            reduction = codecDenominator;
            decoded = isGray ? Raster.CopyOf(pixels, size.Width, size.Height, 1)
                : gray ? ToGray(pixels, size.Width, size.Height) : ToRgb(pixels, size.Width, size.Height);
        });
        fullSize = UprightSize(new ImageSize(info.Width, info.Height), origin);
        denominator = reduction;
        return Upright(decoded, origin);
    }

    /// <summary>The fast JPEG path (<see cref="TurboJpegDecoder"/>), upright; false sends the file to the full codec.</summary>
    private static bool TryDecodeJpeg(ReadOnlySpan<byte> bytes, ColorMode color, DecodeLimits limits, ResizeOp? shrinkFor,
        out Raster image, out ImageSize fullSize, out int denominator)
    {
        // The orientation comes first: it turns the size the draft rule compares with the resize's target.
        var origin = JpegOrigin(bytes);
        denominator = 1;
        fullSize = default;
        if (shrinkFor is not null && TurboJpegDecoder.TryReadSize(bytes, limits, out var stored))
        {
            fullSize = UprightSize(stored, origin);
            denominator = DenominatorFor(fullSize, shrinkFor);
        }

        if (!TurboJpegDecoder.TryDecodeRgb(bytes, limits, denominator, out var rgb, out _))
        {
            image = default;
            return false;
        }

        var decoded = rgb;
        if (color == ColorMode.Gray)
        {
            decoded = GrayOf(rgb);
            rgb.Return();
        }

        image = Upright(decoded, origin);
        fullSize = denominator == 1 ? new ImageSize(image.Width, image.Height) : fullSize;
        return true;
    }

    private static int DenominatorFor(ImageSize upright, ResizeOp shrinkFor) =>
        DraftScale.DenominatorFor(upright, shrinkFor.SizeFor(upright));

    /// <summary>The size after the EXIF orientation: the four orientations that turn the image a quarter swap the sides.</summary>
    private static ImageSize UprightSize(ImageSize stored, SKEncodedOrigin origin) =>
        origin is >= SKEncodedOrigin.LeftTop and <= SKEncodedOrigin.LeftBottom ? new ImageSize(stored.Height, stored.Width) : stored;

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
        DecodeCore(bytes, limits, source, directGray: false, null, null);

    private delegate void PixelsDecoded(ReadOnlySpan<byte> pixels, ImageSize size, bool gray, SKEncodedOrigin origin, int denominator);

    /// <summary>
    /// Decodes through Skia and returns what the header says; <paramref name="use"/> gets the pixels, at the draft
    /// scale for a JPEG when <paramref name="shrinkFor"/> allows one and Skia's own libjpeg scaling gives exactly
    /// libjpeg's size for it (so the two paths agree on sizes), in full otherwise.
    /// </summary>
    private static ImageInfo DecodeCore(ReadOnlySpan<byte> bytes, DecodeLimits? limits, string source, bool directGray, ResizeOp? shrinkFor, PixelsDecoded? use)
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
        var denominator = DraftDenominatorWithCodec(format, codec, shrinkFor);
        var size = DraftScale.Of(new ImageSize(info.Width, info.Height), denominator);
        var length = checked(size.Width * size.Height * (gray ? 1 : 4));
        var rgba = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            // Unpremultiplied output keeps each pixel's colour whatever its alpha, which ToRgb then drops (PIL's convert('RGB')).
            var target = gray
                ? new SKImageInfo(size.Width, size.Height, SKColorType.Gray8, SKAlphaType.Opaque)
                : new SKImageInfo(size.Width, size.Height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
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

            use?.Invoke(rgba.AsSpan(0, length), size, gray, codec.EncodedOrigin, denominator);
            return info;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rgba);
        }
    }

    /// <summary>The reduction to decode a JPEG at through Skia: 1, a full decode, unless a draft allows one.</summary>
    private static int DraftDenominatorWithCodec(ImageFormat format, SKCodec codec, ResizeOp? shrinkFor)
    {
        if (shrinkFor is null || format != ImageFormat.Jpeg)
        {
            return 1;
        }

        var stored = new ImageSize(codec.Info.Width, codec.Info.Height);
        var denominator = DenominatorFor(UprightSize(stored, codec.EncodedOrigin), shrinkFor);
        if (denominator == 1)
        {
            return 1;
        }

        // Skia rounds a scale to an eighth its libjpeg supports and reports the size libjpeg gives for it; should a
        // build ever answer another size, the full decode is the safe answer (the resize then does all the work).
        var scaled = codec.GetScaledDimensions(1f / denominator);
        var expected = DraftScale.Of(stored, denominator);
        return scaled.Width == expected.Width && scaled.Height == expected.Height ? denominator : 1;
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
