using System.Buffers;
using System.Buffers.Binary;
using System.IO.Hashing;
using Maas.Core.Pipelines;

namespace Maas.Imaging.Png;

/// <summary>
/// Decodes small, plain PNGs (8-bit gray, gray+alpha, RGB or RGBA, not interlaced, no transparency key, colour profile
/// or EXIF) in managed code. For a 28x28 Fashion-MNIST image the full codec spends about 9 µs, almost all of it in
/// per-file setup (native codec, libpng and zlib state); this path takes a fraction of that. It gives exactly the pixels
/// and header the full codec gives, and only answers for files it fully understands and finds intact: anything else
/// (other layouts, large images, CRC or Adler-32 mismatch, truncation) returns false, and the caller hands the file to
/// the full codec for the authoritative result or error message.
/// </summary>
internal static class SmallPngDecoder
{
    /// <summary>
    /// Largest filtered image data handled here (a 512x512 RGBA image). Beyond it the per-file setup this path saves is
    /// lost in the decode itself, and the native inflater is the faster one.
    /// </summary>
    public const int MaxImageData = 1 << 20;

    private const uint Ihdr = 0x49484452;
    private const uint Idat = 0x49444154;
    private const uint Iend = 0x49454E44;
    private const uint Plte = 0x504C5445;

    /// <summary>Fully decodes the file to check it, as <see cref="ImageDecoder.Validate"/> does, keeping no pixels.</summary>
    public static bool TryValidate(ReadOnlySpan<byte> bytes, DecodeLimits limits, out ImageInfo? info)
    {
        info = null;
        if (!TryInflate(bytes, limits, out var header, out var data))
        {
            return false;
        }

        try
        {
            var stride = header.Width * header.Channels;
            for (var row = 0; row < header.Height; row++)
            {
                if (data[row * (stride + 1)] > 4)
                {
                    return false;
                }
            }

            info = header.Info;
            return true;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(data);
        }
    }

    /// <summary>Decodes to 8-bit pixels in <paramref name="color"/>, as <see cref="ImageDecoder.DecodeToRaster"/> does.</summary>
    public static bool TryDecode(ReadOnlySpan<byte> bytes, ColorMode color, DecodeLimits limits, out Raster raster)
    {
        raster = default;
        if (!TryInflate(bytes, limits, out var header, out var data))
        {
            return false;
        }

        try
        {
            if (!PngFilters.Reverse(data, header.Width * header.Channels, header.Height, header.Channels))
            {
                return false;
            }

            raster = Convert(data, header, color);
            return true;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(data);
        }
    }

    private static bool TryInflate(ReadOnlySpan<byte> bytes, DecodeLimits limits, out PngHeader header, out byte[] data)
    {
        data = [];
        if (!TryReadLayout(bytes, limits, out header, out var firstData, out var dataLength, out var chunks))
        {
            return false;
        }

        var size = header.Height * ((header.Width * header.Channels) + 1);
        data = ArrayPool<byte>.Shared.Rent(size);
        byte[]? joined = null;
        try
        {
            ReadOnlySpan<byte> stream;
            if (chunks == 1 && firstData + dataLength + ZlibInflater.Padding <= bytes.Length)
            {
                // One IDAT: inflate in place; the bytes after it (its CRC and IEND) serve as the reader's slack.
                stream = bytes[firstData..];
            }
            else
            {
                joined = ArrayPool<byte>.Shared.Rent(dataLength + ZlibInflater.Padding);
                Join(bytes, joined);
                stream = joined;
            }

            if (ZlibInflater.TryInflate(stream, dataLength, data.AsSpan(0, size)))
            {
                return true;
            }
        }
        finally
        {
            if (joined is not null)
            {
                ArrayPool<byte>.Shared.Return(joined);
            }
        }

        ArrayPool<byte>.Shared.Return(data);
        data = [];
        return false;
    }

    /// <summary>
    /// Walks the chunks: IHDR first and of a supported kind, CRCs of the critical chunks right, the IDATs consecutive,
    /// IEND present, and no chunk that would change the pixels or the header's meaning.
    /// </summary>
    private static bool TryReadLayout(
        ReadOnlySpan<byte> bytes, DecodeLimits limits, out PngHeader header, out int firstData, out int dataLength, out int chunks)
    {
        header = default;
        firstData = dataLength = chunks = 0;
        if (bytes.Length > limits.MaxBytes || bytes.Length < 8 + 25 + 12 || !IsIntact(bytes, 8, out var length, out var type)
            || type != Ihdr || length != 13)
        {
            return false;
        }

        var ihdr = bytes.Slice(16, 13);
        var width = BinaryPrimitives.ReadInt32BigEndian(ihdr);
        var height = BinaryPrimitives.ReadInt32BigEndian(ihdr[4..]);
        int depth = ihdr[8], colorType = ihdr[9];
        var channels = colorType switch { 0 => 1, 2 => 3, 4 => 2, 6 => 4, _ => 0 };
        if (width <= 0 || height <= 0 || depth != 8 || channels == 0 || ihdr[10] != 0 || ihdr[11] != 0 || ihdr[12] != 0
            || (long)width * height > limits.MaxPixels || (long)height * ((width * (long)channels) + 1) > MaxImageData)
        {
            return false;
        }

        header = new PngHeader(width, height, channels);
        var position = 8 + 25;
        var afterData = false;
        while (true)
        {
            if (!IsIntact(bytes, position, out length, out type))
            {
                return false;
            }

            switch (type)
            {
                case Iend:
                    return chunks > 0;
                case Idat:
                    if (afterData)
                    {
                        return false;
                    }

                    if (chunks++ == 0)
                    {
                        firstData = position + 8;
                    }

                    dataLength += length;
                    break;
                default:
                    afterData |= chunks > 0;

                    // A critical chunk (upper-case first letter) other than a suggested palette, or an ancillary one
                    // that changes pixels, orientation or the reported channels: the full codec knows what to do.
                    if ((type == Plte && colorType is 2 or 6) || (IsAncillary(type) && !ChangesDecoding(type)))
                    {
                        break;
                    }

                    return false;
            }

            position += 12 + length;
        }
    }

    /// <summary>The chunk at <paramref name="position"/> is whole, and its CRC is right if it is critical.</summary>
    private static bool IsIntact(ReadOnlySpan<byte> bytes, int position, out int length, out uint type)
    {
        length = 0;
        type = 0;
        if (position + 12 > bytes.Length)
        {
            return false;
        }

        length = BinaryPrimitives.ReadInt32BigEndian(bytes[position..]);
        type = BinaryPrimitives.ReadUInt32BigEndian(bytes[(position + 4)..]);
        if (length < 0 || length > bytes.Length - position - 12)
        {
            return false;
        }

        // libpng rejects a critical chunk with a bad CRC and only warns about an ancillary one; so does this path.
        return IsAncillary(type)
            || Crc32.HashToUInt32(bytes.Slice(position + 4, length + 4)) == BinaryPrimitives.ReadUInt32BigEndian(bytes[(position + 8 + length)..]);
    }

    private static bool IsAncillary(uint type) => (type & 0x20000000) != 0;

    // tRNS gives gray and RGB images an alpha channel; iCCP, gAMA, cHRM and sRGB concern colour management; eXIf can
    // turn the image. All are rare in datasets, and the full codec applies whatever they mean. sBIT (which Skia's own
    // encoder writes) only records the source's precision: decoders leave the samples as they are.
    private static bool ChangesDecoding(uint type) => type is 0x74524E53 or 0x69434350 or 0x67414D41 or 0x6348524D
        or 0x73524742 or 0x65584966;

    private static void Join(ReadOnlySpan<byte> bytes, Span<byte> joined)
    {
        var position = 8 + 25;
        var written = 0;
        while (true)
        {
            var length = BinaryPrimitives.ReadInt32BigEndian(bytes[position..]);
            var type = BinaryPrimitives.ReadUInt32BigEndian(bytes[(position + 4)..]);
            if (type == Iend)
            {
                break;
            }

            if (type == Idat)
            {
                bytes.Slice(position + 8, length).CopyTo(joined[written..]);
                written += length;
            }

            position += 12 + length;
        }

        joined.Slice(written, ZlibInflater.Padding).Clear();
    }

    private static Raster Convert(byte[] data, PngHeader header, ColorMode color)
    {
        int width = header.Width, height = header.Height, channels = header.Channels;
        var stride = width * channels;
        var gray = color == ColorMode.Gray;
        var raster = Raster.Rent(width, height, gray ? 1 : 3);
        var pixels = raster.Pixels;
        for (var row = 0; row < height; row++)
        {
            var from = data.AsSpan((row * (stride + 1)) + 1, stride);
            var to = pixels.Slice(row * width * raster.Channels, width * raster.Channels);
            switch (channels, gray)
            {
                case (1, true) or (3, false):
                    from.CopyTo(to);
                    break;
                case (1, false) or (2, false):
                    for (var x = 0; x < width; x++)
                    {
                        to[(x * 3) + 2] = to[(x * 3) + 1] = to[x * 3] = from[x * channels];
                    }

                    break;
                case (2, true):
                    for (var x = 0; x < width; x++)
                    {
                        to[x] = from[x * 2];
                    }

                    break;
                case (4, false):
                    for (var x = 0; x < width; x++)
                    {
                        to[x * 3] = from[x * 4];
                        to[(x * 3) + 1] = from[(x * 4) + 1];
                        to[(x * 3) + 2] = from[(x * 4) + 2];
                    }

                    break;
                default:
                    // RGB or RGBA to gray: the same integer BT.601 luma as the full codec's path.
                    for (var x = 0; x < width; x++)
                    {
                        to[x] = PixelColor.Luma(from[x * channels], from[(x * channels) + 1], from[(x * channels) + 2]);
                    }

                    break;
            }
        }

        return raster;
    }
}
