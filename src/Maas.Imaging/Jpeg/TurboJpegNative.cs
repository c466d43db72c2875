using System.Runtime.InteropServices;

namespace Maas.Imaging.Jpeg;

/// <summary>
/// The few TurboJPEG 2.x calls the JPEG path needs, from Debian's <c>libturbojpeg0</c> (the SIMD build of
/// libjpeg-turbo, the same decoder OpenCV and PIL use there). Resolved at first use; absent, the path is off.
/// </summary>
internal static unsafe partial class TurboJpegNative
{
    public const string Library = "libturbojpeg.so.0";

    /// <summary>TJPF_RGB: 3 bytes per pixel, R first.</summary>
    public const int PixelFormatRgb = 0;

    /// <summary>TJCS_GRAY: a one-channel JPEG.</summary>
    public const int ColorspaceGray = 2;

    /// <summary>TJCS_CMYK and TJCS_YCCK: four-channel JPEGs, left to the full codec's colour conversion.</summary>
    public const int ColorspaceCmyk = 3;

    /// <summary>TJCS_YCCK.</summary>
    public const int ColorspaceYcck = 4;

    /// <summary>
    /// TJFLAG_ACCURATEDCT (the integer "islow" IDCT, libjpeg's default and Skia's) and TJFLAG_LIMITSCANS (refuse
    /// progressive files with over 500 scans, a known way to make a small file take minutes).
    /// </summary>
    public const int Flags = 4096 | 32768;

    [LibraryImport(Library, EntryPoint = "tjInitDecompress")]
    public static partial nint InitDecompress();

    [LibraryImport(Library, EntryPoint = "tjDecompressHeader3")]
    public static partial int DecompressHeader(
        nint handle, byte* jpeg, nuint size, out int width, out int height, out int subsampling, out int colorspace);

    [LibraryImport(Library, EntryPoint = "tjDecompress2")]
    public static partial int Decompress(
        nint handle, byte* jpeg, nuint size, byte* destination, int width, int pitch, int height, int pixelFormat, int flags);

    public static bool IsAvailable { get; } = NativeLibrary.TryLoad(Library, out _);
}
