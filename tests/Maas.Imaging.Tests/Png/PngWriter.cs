using System.Buffers.Binary;
using System.IO.Compression;
using System.IO.Hashing;
using System.Text;

namespace Maas.Imaging.Tests.Png;

/// <summary>
/// A PNG writer independent of the code under test: each row gets the filter the test chooses, the image data is
/// compressed by the platform's zlib and split into IDAT chunks of the given size, and extra chunks can be slipped in
/// before the data.
/// </summary>
internal static class PngWriter
{
    public static byte[] Write(
        byte[] pixels, int width, int height, int colorType, Func<int, int> filterOfRow,
        CompressionLevel level = CompressionLevel.Optimal, int idatSize = int.MaxValue, params (string Type, byte[] Data)[] extra)
    {
        var channels = colorType switch { 0 => 1, 2 => 3, 4 => 2, 6 => 4, _ => throw new ArgumentOutOfRangeException(nameof(colorType)) };
        var stride = width * channels;
        var filtered = new byte[height * (stride + 1)];
        for (var row = 0; row < height; row++)
        {
            var filter = filterOfRow(row);
            filtered[row * (stride + 1)] = (byte)filter;
            for (var i = 0; i < stride; i++)
            {
                int value = pixels[(row * stride) + i];
                int left = i >= channels ? pixels[(row * stride) + i - channels] : 0;
                int up = row > 0 ? pixels[((row - 1) * stride) + i] : 0;
                int upLeft = row > 0 && i >= channels ? pixels[((row - 1) * stride) + i - channels] : 0;
                var predicted = filter switch
                {
                    0 => 0,
                    1 => left,
                    2 => up,
                    3 => (left + up) / 2,
                    _ => Paeth(left, up, upLeft),
                };
                filtered[(row * (stride + 1)) + 1 + i] = (byte)(value - predicted);
            }
        }

        var compressed = new MemoryStream();
        using (var zlib = new ZLibStream(compressed, level, leaveOpen: true))
        {
            zlib.Write(filtered);
        }

        var png = new MemoryStream();
        png.Write([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]);
        var ihdr = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(ihdr, width);
        BinaryPrimitives.WriteInt32BigEndian(ihdr.AsSpan(4), height);
        ihdr[8] = 8;
        ihdr[9] = (byte)colorType;
        Chunk(png, "IHDR", ihdr);
        foreach (var (type, data) in extra)
        {
            Chunk(png, type, data);
        }

        var stream = compressed.ToArray();
        for (var offset = 0; offset < stream.Length; offset += idatSize)
        {
            Chunk(png, "IDAT", stream.AsSpan(offset, Math.Min(idatSize, stream.Length - offset)));
        }

        Chunk(png, "IEND", []);
        return png.ToArray();
    }

    public static byte[] RandomPixels(int width, int height, int channels, int seed)
    {
        // Smooth gradients plus noise: compressible like a photo, so the streams use back-references and dynamic codes.
        var random = new Random(seed);
        var pixels = new byte[width * height * channels];
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                for (var c = 0; c < channels; c++)
                {
                    pixels[(((y * width) + x) * channels) + c] = (byte)((x * (c + 1)) + (y * 2) + random.Next(0, 12));
                }
            }
        }

        return pixels;
    }

    private static int Paeth(int left, int up, int upLeft)
    {
        var estimate = left + up - upLeft;
        int toLeft = Math.Abs(estimate - left), toUp = Math.Abs(estimate - up), toUpLeft = Math.Abs(estimate - upLeft);
        return toLeft <= toUp && toLeft <= toUpLeft ? left : toUp <= toUpLeft ? up : upLeft;
    }

    private static void Chunk(Stream png, string type, ReadOnlySpan<byte> data)
    {
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(length, data.Length);
        png.Write(length);
        var typed = new byte[4 + data.Length];
        Encoding.ASCII.GetBytes(type).CopyTo(typed, 0);
        data.CopyTo(typed.AsSpan(4));
        png.Write(typed);
        Span<byte> crc = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(crc, Crc32.HashToUInt32(typed));
        png.Write(crc);
    }
}
