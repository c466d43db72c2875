using System.IO.Compression;
using Maas.Core.Pipelines;
using Maas.Imaging.Png;

namespace Maas.Imaging.Tests.Png;

/// <summary>The managed PNG path must give exactly what the native codec gives, and step aside for what it does not handle.</summary>
public class SmallPngDecoderTests
{
    public static TheoryData<int, int, int> Layouts()
    {
        var data = new TheoryData<int, int, int>();
        foreach (var colorType in new[] { 0, 2, 4, 6 })
        {
            foreach (var filter in new[] { 0, 1, 2, 3, 4, -1 })
            {
                data.Add(colorType, filter, 1);
            }

            data.Add(colorType, -1, 7);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Layouts))]
    public void Decodes_exactly_as_the_native_codec_does(int colorType, int filter, int idatSize)
    {
        // filter -1 cycles through all five filters row by row; idatSize 7 splits the stream into many IDAT chunks.
        var channels = colorType switch { 0 => 1, 2 => 3, 4 => 2, _ => 4 };
        var pixels = PngWriter.RandomPixels(29, 17, channels, seed: colorType * 10 + filter);
        var png = PngWriter.Write(pixels, 29, 17, colorType, row => filter >= 0 ? filter : row % 5,
            idatSize: idatSize == 1 ? int.MaxValue : idatSize);

        foreach (var color in new[] { ColorMode.Gray, ColorMode.Rgb })
        {
            Assert.True(SmallPngDecoder.TryDecode(png, color, DecodeLimits.Default, out var managed));
            var native = ImageDecoder.DecodeToRasterWithCodec(png, color, null, "test.png");
            try
            {
                Assert.Equal((native.Width, native.Height, native.Channels), (managed.Width, managed.Height, managed.Channels));
                Assert.Equal(native.Pixels.ToArray(), managed.Pixels.ToArray());
            }
            finally
            {
                managed.Return();
                native.Return();
            }
        }

        Assert.True(SmallPngDecoder.TryValidate(png, DecodeLimits.Default, out var info));
        Assert.Equal(ImageDecoder.ValidateWithCodec(png, null, "test.png"), info);
    }

    [Theory]
    [InlineData(CompressionLevel.NoCompression)]
    [InlineData(CompressionLevel.Fastest)]
    [InlineData(CompressionLevel.SmallestSize)]
    public void Decodes_every_compression_level(CompressionLevel level)
    {
        var pixels = PngWriter.RandomPixels(64, 48, 3, seed: 3);
        var png = PngWriter.Write(pixels, 64, 48, 2, row => row % 5, level);

        Assert.True(SmallPngDecoder.TryDecode(png, ColorMode.Rgb, DecodeLimits.Default, out var managed));
        Assert.Equal(pixels, managed.Pixels.ToArray());
        managed.Return();
    }

    [Fact]
    public void Decodes_what_the_maas_encoder_writes_through_the_managed_path()
    {
        // Skia's encoder adds an sBIT chunk; the dataset PNGs Maas writes (exports, tests, benchmarks) must not miss the path.
        var pixels = PngWriter.RandomPixels(28, 28, 1, seed: 1);
        var png = ImageEncoder.EncodePng(pixels, 28, 28, 1);

        Assert.True(SmallPngDecoder.TryDecode(png, ColorMode.Gray, DecodeLimits.Default, out var managed));
        Assert.Equal(pixels, managed.Pixels.ToArray());
        managed.Return();
    }

    [Theory]
    [InlineData("tRNS", new byte[] { 0, 7 })]
    [InlineData("gAMA", new byte[] { 0, 1, 0x86, 0xA0 })]
    [InlineData("sRGB", new byte[] { 0 })]
    [InlineData("eXIf", new byte[] { 0x4D, 0x4D, 0, 0x2A, 0, 0, 0, 8, 0, 0 })]
    [InlineData("ABCd", new byte[] { 1 })]
    public void Steps_aside_for_chunks_that_change_decoding(string type, byte[] data)
    {
        var pixels = PngWriter.RandomPixels(8, 8, 1, seed: 2);
        var png = PngWriter.Write(pixels, 8, 8, 0, _ => 0, extra: (type, data));

        Assert.False(SmallPngDecoder.TryDecode(png, ColorMode.Gray, DecodeLimits.Default, out _));
        Assert.False(SmallPngDecoder.TryValidate(png, DecodeLimits.Default, out _));
    }

    [Fact]
    public void Ignores_text_and_unknown_ancillary_chunks()
    {
        var pixels = PngWriter.RandomPixels(8, 8, 3, seed: 4);
        var png = PngWriter.Write(pixels, 8, 8, 2, _ => 4, extra: [("tEXt", "Comment\0made by a test"u8.ToArray()), ("abCd", [1])]);

        Assert.True(SmallPngDecoder.TryDecode(png, ColorMode.Rgb, DecodeLimits.Default, out var managed));
        Assert.Equal(pixels, managed.Pixels.ToArray());
        managed.Return();
    }

    [Fact]
    public void Steps_aside_for_damage_the_native_codec_must_judge()
    {
        var pixels = PngWriter.RandomPixels(20, 20, 1, seed: 6);
        var png = PngWriter.Write(pixels, 20, 20, 0, row => row % 5);
        var badCrc = (byte[])png.Clone();
        badCrc[^20] ^= 0x10; // inside the IDAT data: its CRC no longer matches
        var badFilter = PngWriter.Write(pixels, 20, 20, 0, row => row == 3 ? 9 : 0);

        Assert.False(SmallPngDecoder.TryValidate(badCrc, DecodeLimits.Default, out _));
        Assert.False(SmallPngDecoder.TryValidate(badFilter, DecodeLimits.Default, out _));
        for (var cut = 8; cut < png.Length; cut += 3)
        {
            Assert.False(SmallPngDecoder.TryValidate(png[..cut], DecodeLimits.Default, out _));
        }

        Assert.Throws<Maas.Core.Errors.UnsupportedImageException>(() => ImageDecoder.Validate(badCrc, null, "bad.png"));
        var truncated = Assert.Throws<Maas.Core.Errors.UnsupportedImageException>(() => ImageDecoder.Validate(png[..(png.Length / 2)], null, "cut.png"));
        Assert.Equal("cut.png: the png data is truncated.", truncated.Message);
    }

    [Fact]
    public void Steps_aside_over_the_limits_and_for_large_images()
    {
        var pixels = PngWriter.RandomPixels(40, 30, 1, seed: 8);
        var png = PngWriter.Write(pixels, 40, 30, 0, _ => 1);
        var large = PngWriter.Write(new byte[1100 * 1000], 1100, 1000, 0, _ => 0);

        Assert.False(SmallPngDecoder.TryValidate(png, new DecodeLimits(MaxPixels: 1000), out _));
        Assert.False(SmallPngDecoder.TryValidate(png, new DecodeLimits(MaxBytes: 100), out _));
        Assert.False(SmallPngDecoder.TryValidate(large, DecodeLimits.Default, out _));
        var error = Assert.Throws<Maas.Core.Errors.UnsupportedImageException>(() => ImageDecoder.Validate(png, new DecodeLimits(MaxPixels: 1000), "big.png"));
        Assert.Contains("over the limit of 1000 pixels", error.Message, StringComparison.Ordinal);
    }
}
