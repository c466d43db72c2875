using System.IO.Compression;
using Maas.Imaging.Png;

namespace Maas.Imaging.Tests.Png;

public class ZlibInflaterTests
{
    public static TheoryData<int, CompressionLevel, string> Streams()
    {
        var data = new TheoryData<int, CompressionLevel, string>();
        foreach (var level in new[] { CompressionLevel.NoCompression, CompressionLevel.Fastest, CompressionLevel.Optimal, CompressionLevel.SmallestSize })
        {
            foreach (var kind in new[] { "random", "repetitive", "skewed", "text" })
            {
                foreach (var size in new[] { 1, 300, 70_000 })
                {
                    data.Add(size, level, kind);
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Streams))]
    public void Inflates_what_the_platform_zlib_compresses(int size, CompressionLevel level, string kind)
    {
        var original = Data(size, kind);
        var stream = Compress(original, level);

        var output = new byte[size];
        Assert.True(ZlibInflater.TryInflate(Padded(stream), stream.Length, output));
        Assert.Equal(original, output);
    }

    [Fact]
    public void Inflates_an_empty_stream()
    {
        // zlib's own compress() of nothing: a fixed-code block holding only end-of-block, and Adler-32 of nothing (1).
        byte[] stream = [0x78, 0x9C, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01];

        Assert.True(ZlibInflater.TryInflate(Padded(stream), stream.Length, []));
    }

    [Fact]
    public void Refuses_a_stream_whose_size_is_not_the_expected_one()
    {
        var stream = Compress(Data(1000, "text"), CompressionLevel.Optimal);

        Assert.False(ZlibInflater.TryInflate(Padded(stream), stream.Length, new byte[999]));
        Assert.False(ZlibInflater.TryInflate(Padded(stream), stream.Length, new byte[1001]));
    }

    [Fact]
    public void Refuses_every_truncation()
    {
        var original = Data(2000, "skewed");
        var stream = Compress(original, CompressionLevel.Optimal);

        for (var cut = 0; cut < stream.Length; cut++)
        {
            Assert.False(ZlibInflater.TryInflate(Padded(stream[..cut]), cut, new byte[original.Length]));
        }
    }

    [Fact]
    public void Refuses_a_wrong_checksum_and_a_bad_header()
    {
        var original = Data(500, "text");
        var stream = Compress(original, CompressionLevel.Optimal);
        var badChecksum = (byte[])stream.Clone();
        badChecksum[^1] ^= 1;
        var badHeader = (byte[])stream.Clone();
        badHeader[1] ^= 1;

        Assert.False(ZlibInflater.TryInflate(Padded(badChecksum), stream.Length, new byte[500]));
        Assert.False(ZlibInflater.TryInflate(Padded(badHeader), stream.Length, new byte[500]));
    }

    [Fact]
    public void Never_throws_on_corrupted_streams()
    {
        var original = Data(3000, "skewed");
        var stream = Compress(original, CompressionLevel.Optimal);
        var random = new Random(5);
        for (var trial = 0; trial < 2000; trial++)
        {
            var corrupt = (byte[])stream.Clone();
            var flips = random.Next(1, 4);
            for (var i = 0; i < flips; i++)
            {
                corrupt[random.Next(2, corrupt.Length - 4)] ^= (byte)(1 << random.Next(8));
            }

            var output = new byte[original.Length];
            if (ZlibInflater.TryInflate(Padded(corrupt), corrupt.Length, output))
            {
                // Only a flip that leaves the data the same (a bit deflate ignores) may pass.
                Assert.Equal(original, output);
            }
        }
    }

    [Fact]
    public void Computes_adler32_as_zlib_defines_it()
    {
        // RFC 1950's example value for "Wikipedia", and the empty input.
        Assert.Equal(0x11E60398u, Adler32.HashToUInt32("Wikipedia"u8));
        Assert.Equal(1u, Adler32.HashToUInt32([]));
        var large = Data(70_000, "random");
        var stream = Compress(large, CompressionLevel.NoCompression);
        Assert.Equal(System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(stream.AsSpan(stream.Length - 4)), Adler32.HashToUInt32(large));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(31)]
    [InlineData(32)]
    [InlineData(33)]
    [InlineData(812)]
    [InlineData(5535)]
    [InlineData(5536)]
    [InlineData(5553)]
    [InlineData(11_104)]
    [InlineData(100_000)]
    public void Adler32_agrees_with_the_platform_zlib_across_step_and_block_boundaries(int size)
    {
        // All-0xFF bytes are the worst case for the sums' bounds; random bytes catch weighting mistakes.
        foreach (var data in new[] { Enumerable.Repeat((byte)0xFF, size).ToArray(), Data(size, "random") })
        {
            var stream = Compress(data, CompressionLevel.NoCompression);
            Assert.Equal(System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(stream.AsSpan(stream.Length - 4)), Adler32.HashToUInt32(data));
        }
    }

    private static byte[] Data(int size, string kind)
    {
        var random = new Random(size + kind.Length);
        var data = new byte[size];
        switch (kind)
        {
            case "random":
                random.NextBytes(data);
                break;
            case "repetitive":
                for (var i = 0; i < size; i++)
                {
                    data[i] = (byte)(i % 7 == 0 ? random.Next(3) : data[Math.Max(0, i - 3)]);
                }

                break;
            case "skewed":
                // Zipf-like over all 256 values: rare symbols get codes longer than the lookup table's 10 bits.
                for (var i = 0; i < size; i++)
                {
                    data[i] = (byte)Math.Min(255, (int)(1 / Math.Pow(random.NextDouble() + 1e-9, 1.3)));
                }

                break;
            default:
                var words = new[] { "the ", "image ", "pipeline ", "model ", "serves ", "trains ", "a ", "on " };
                var text = new System.Text.StringBuilder();
                while (text.Length < size)
                {
                    text.Append(words[random.Next(words.Length)]);
                }

                System.Text.Encoding.ASCII.GetBytes(text.ToString(0, size)).CopyTo(data, 0);
                break;
        }

        return data;
    }

    private static byte[] Compress(byte[] data, CompressionLevel level)
    {
        var compressed = new MemoryStream();
        using (var zlib = new ZLibStream(compressed, level, leaveOpen: true))
        {
            zlib.Write(data);
        }

        return compressed.ToArray();
    }

    private static byte[] Padded(byte[] stream)
    {
        var padded = new byte[stream.Length + ZlibInflater.Padding];
        stream.CopyTo(padded, 0);
        return padded;
    }
}
