using System.Buffers.Binary;
using Maas.Core.Errors;
using Maas.Core.Pipelines;
using Maas.Testing;

namespace Maas.Imaging.Tests;

public class ImageDecoderTests
{
    [Fact]
    public void Decode_GrayPng_ReturnsExactPixels()
    {
        var pixels = Enumerable.Range(0, 12).Select(i => (byte)(i * 20)).ToArray();
        var png = ImageEncoder.EncodePng(pixels, 4, 3, 1);

        var image = ImageDecoder.Decode(png, ColorMode.Gray, null, "test.png");

        Assert.Equal((4, 3, 1), (image.Width, image.Height, image.Channels));
        Assert.Equal(pixels, image.Pixels);
    }

    [Fact]
    public void Decode_GrayPngAsRgb_RepeatsTheValueInEveryChannel()
    {
        var image = ImageDecoder.Decode(TestImages.FlatGrayPng(2, 2, 77), ColorMode.Rgb, null, "test.png");

        Assert.Equal(3, image.Channels);
        Assert.All(image.Pixels, p => Assert.Equal(77, p));
    }

    [Fact]
    public void ReadInfo_SniffsFormatFromBytesNotName()
    {
        var info = ImageDecoder.ReadInfo(TestImages.GradientRgbPng(5, 7, 1), "looks-like.jpg");

        Assert.Equal(new ImageInfo(ImageFormat.Png, 5, 7, 3), info);
    }

    [Fact]
    public void Decode_Empty_IsRejectedAsEmpty()
    {
        var error = Assert.Throws<UnsupportedImageException>(() => ImageDecoder.Decode([], ColorMode.Rgb, null, "empty.png"));

        Assert.Equal("empty.png: the file is empty.", error.Message);
    }

    [Fact]
    public void Decode_TextFile_IsRejectedAsNotAnImage()
    {
        var error = Assert.Throws<UnsupportedImageException>(() => ImageDecoder.Decode("hello, world"u8.ToArray(), ColorMode.Rgb, null, "notes.png"));

        Assert.Contains("notes.png: not a PNG, JPEG", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decode_TruncatedPng_IsRejected()
    {
        var png = TestImages.GradientRgbPng(64, 64, 9);

        var error = Assert.Throws<UnsupportedImageException>(() => ImageDecoder.Decode(png.AsSpan(0, png.Length / 2), ColorMode.Rgb, null, "cut.png"));

        Assert.StartsWith("cut.png:", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decode_HugeDeclaredSize_IsRefusedFromTheHeader()
    {
        var png = TestImages.FlatGrayPng(1, 1, 0);
        // Rewrite IHDR to declare 30000x30000 with a valid CRC: the refusal must come from the header check.
        BinaryPrimitives.WriteInt32BigEndian(png.AsSpan(16), 30000);
        BinaryPrimitives.WriteInt32BigEndian(png.AsSpan(20), 30000);
        BinaryPrimitives.WriteUInt32BigEndian(png.AsSpan(29), Crc32(png.AsSpan(12, 17)));

        var error = Assert.Throws<UnsupportedImageException>(() => ImageDecoder.Decode(png, ColorMode.Gray, null, "bomb.png"));

        Assert.Contains("30000x30000 is over the limit", error.Message, StringComparison.Ordinal);
    }

    private static uint Crc32(ReadOnlySpan<byte> data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in data)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
            }
        }

        return ~crc;
    }
}
