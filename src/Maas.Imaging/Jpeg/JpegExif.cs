using System.Buffers.Binary;

namespace Maas.Imaging.Jpeg;

/// <summary>
/// Finds whether a JPEG carries an EXIF block (an APP1 segment starting "Exif\0\0") before its image data, by walking
/// the marker segments. Only then can it record an orientation, so only then is a second header parse (by Skia) needed.
/// </summary>
internal static class JpegExif
{
    /// <summary>True when an EXIF block is present, or when the layout is not what this walk expects (the caller then asks the full codec).</summary>
    public static bool MayHaveOrientation(ReadOnlySpan<byte> jpeg)
    {
        if (jpeg.Length < 4 || jpeg[0] != 0xFF || jpeg[1] != 0xD8)
        {
            return true;
        }

        var position = 2;
        while (position + 4 <= jpeg.Length)
        {
            if (jpeg[position] != 0xFF)
            {
                return true;
            }

            int marker = jpeg[position + 1];
            if (marker == 0xFF)
            {
                // Fill byte before a marker.
                position++;
                continue;
            }

            if (marker is 0xDA or 0xD9)
            {
                // Start of scan or end of image: every header segment has been seen.
                return false;
            }

            if (marker is 0x01 or (>= 0xD0 and <= 0xD7))
            {
                position += 2;
                continue;
            }

            int length = BinaryPrimitives.ReadUInt16BigEndian(jpeg[(position + 2)..]);
            if (marker == 0xE1 && length >= 8 && position + 10 <= jpeg.Length && jpeg.Slice(position + 4, 6).SequenceEqual("Exif\0\0"u8))
            {
                return true;
            }

            position += 2 + length;
        }

        return true;
    }
}
