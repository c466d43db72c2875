using Maas.Core.Pipelines;

namespace Maas.Imaging.Jpeg;

/// <summary>
/// Decodes JPEGs with the system's SIMD libjpeg-turbo when it is installed. SkiaSharp's bundled libjpeg-turbo is built
/// without SIMD: profiling a photo pipeline showed the scalar IDCT, colour conversion and upsampling taking 80% of the
/// time, and decoding at half the speed of OpenCV on the same files. The same library with the same settings (integer
/// IDCT, smooth chroma upsampling) gives the same pixels (a test checks this on real photographs). Like the small-PNG
/// path it only answers for clean files of the common kinds (not CMYK, no warnings); anything else goes to the full
/// codec for its result or error message.
/// </summary>
internal static unsafe class TurboJpegDecoder
{
    [ThreadStatic]
    private static nint s_handle;

    /// <summary>Whether the system library was found.</summary>
    public static bool IsAvailable => TurboJpegNative.IsAvailable;

    /// <summary>Decodes to RGB as stored (the caller applies the EXIF orientation); <paramref name="grayscale"/> tells a
    /// one-channel JPEG, whose RGB repeats its gray.</summary>
    public static bool TryDecodeRgb(ReadOnlySpan<byte> bytes, DecodeLimits limits, out Raster raster, out bool grayscale) =>
        TryDecodeRgb(bytes, limits, 1, out raster, out grayscale);

    /// <summary>
    /// As <see cref="TryDecodeRgb(ReadOnlySpan{byte}, DecodeLimits, out Raster, out bool)"/>, reduced by libjpeg's DCT
    /// scaling to 1/<paramref name="denominator"/> (1, 2, 4 or 8; see <see cref="DraftScale"/>). The limits apply to the
    /// size in the header, not the reduced one, so a file is accepted or refused whatever the scale.
    /// </summary>
    public static bool TryDecodeRgb(ReadOnlySpan<byte> bytes, DecodeLimits limits, int denominator, out Raster raster, out bool grayscale)
    {
        raster = default;
        grayscale = false;
        if (!TryBegin(bytes, limits, out var handle))
        {
            return false;
        }

        fixed (byte* jpeg = bytes)
        {
            if (!TryReadHeader(handle, jpeg, bytes.Length, limits, out var size, out var colorspace))
            {
                return false;
            }

            grayscale = colorspace == TurboJpegNative.ColorspaceGray;
            // Asked for the scaled size, TurboJPEG picks the largest of its factors that fits, which is this one.
            var (width, height) = DraftScale.Of(size, denominator);
            var decoded = Raster.Rent(width, height, 3);
            fixed (byte* destination = decoded.Buffer)
            {
                // Any non-zero answer, warnings included (a truncated file decodes with gray filling the rest), hands
                // the file to the full codec, which says what is wrong with it.
                if (TurboJpegNative.Decompress(handle, jpeg, (nuint)bytes.Length, destination, width, width * 3, height,
                        TurboJpegNative.PixelFormatRgb, TurboJpegNative.Flags) != 0)
                {
                    decoded.Return();
                    return false;
                }
            }

            raster = decoded;
            return true;
        }
    }

    /// <summary>The size stored in the header of a JPEG this path would decode (within the limits, not CMYK).</summary>
    public static bool TryReadSize(ReadOnlySpan<byte> bytes, DecodeLimits limits, out ImageSize size)
    {
        size = default;
        if (!TryBegin(bytes, limits, out var handle))
        {
            return false;
        }

        fixed (byte* jpeg = bytes)
        {
            return TryReadHeader(handle, jpeg, bytes.Length, limits, out size, out _);
        }
    }

    private static bool TryBegin(ReadOnlySpan<byte> bytes, DecodeLimits limits, out nint handle)
    {
        handle = 0;
        if (!IsAvailable || bytes.Length > limits.MaxBytes)
        {
            return false;
        }

        handle = Handle();
        return handle != 0;
    }

    private static bool TryReadHeader(nint handle, byte* jpeg, int length, DecodeLimits limits, out ImageSize size, out int colorspace)
    {
        size = default;
        if (TurboJpegNative.DecompressHeader(handle, jpeg, (nuint)length, out var width, out var height, out _, out colorspace) != 0
            || colorspace is TurboJpegNative.ColorspaceCmyk or TurboJpegNative.ColorspaceYcck
            || width <= 0 || height <= 0 || (long)width * height > limits.MaxPixels)
        {
            return false;
        }

        size = new ImageSize(width, height);
        return true;
    }

    private static nint Handle()
    {
        // One decompressor per thread: a handle is not thread-safe, and creating one per image costs an allocation of
        // libjpeg's state each time. It lives as long as the thread (pool threads are few and long-lived).
        if (s_handle == 0)
        {
            s_handle = TurboJpegNative.InitDecompress();
        }

        return s_handle;
    }
}
