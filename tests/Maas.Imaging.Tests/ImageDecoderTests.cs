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
    public void Decode_RgbPng_ReturnsExactPixelsThroughTheVectorPathAndItsTail()
    {
        // 7x3 = 21 pixels: four shuffles of four pixels, then a five-pixel tail (a fifth shuffle would write past the end).
        var pixels = Enumerable.Range(0, 63).Select(i => (byte)((i * 37) + 5)).ToArray();
        var png = ImageEncoder.EncodePng(pixels, 7, 3, 3);

        var image = ImageDecoder.Decode(png, ColorMode.Rgb, null, "test.png");

        Assert.Equal((7, 3, 3), (image.Width, image.Height, image.Channels));
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
        var png = TestImages.PixelBombPng(30000, 30000);

        var error = Assert.Throws<UnsupportedImageException>(() => ImageDecoder.Decode(png, ColorMode.Gray, null, "bomb.png"));

        Assert.Contains("30000x30000 is over the limit", error.Message, StringComparison.Ordinal);
    }
}
