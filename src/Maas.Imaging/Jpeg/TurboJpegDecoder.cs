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
    public static bool TryDecodeRgb(ReadOnlySpan<byte> bytes, DecodeLimits limits, out Raster raster, out bool grayscale)
    {
        raster = default;
        grayscale = false;
        if (!IsAvailable || bytes.Length > limits.MaxBytes)
        {
            return false;
        }

        var handle = Handle();
        if (handle == 0)
        {
            return false;
        }

        fixed (byte* jpeg = bytes)
        {
            if (TurboJpegNative.DecompressHeader(handle, jpeg, (nuint)bytes.Length, out var width, out var height, out _, out var colorspace) != 0
                || colorspace is TurboJpegNative.ColorspaceCmyk or TurboJpegNative.ColorspaceYcck
                || width <= 0 || height <= 0 || (long)width * height > limits.MaxPixels)
            {
                return false;
            }

            grayscale = colorspace == TurboJpegNative.ColorspaceGray;
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
