using Maas.Core.Pipelines;
using Maas.Imaging.Jpeg;
using Maas.Testing;

namespace Maas.Imaging.Tests.Jpeg;

/// <summary>
/// The reduced decode behind <see cref="DecodeOp.Draft"/>: the scale it picks, the size libjpeg gives at that scale, and
/// the same pixels from the system libjpeg-turbo as from Skia's own scaled decode.
/// </summary>
public class DraftScaleTests
{
    [Theory]
    [InlineData(2560, 1600, 409, 256, 4)] // a mate photo to a shorter side of 256: 640x400 fits, 320x200 does not
    [InlineData(2560, 1600, 320, 200, 8)]
    [InlineData(2560, 1600, 321, 200, 4)]
    [InlineData(1680, 1050, 409, 256, 4)] // 420x263: libjpeg rounds up, so 262.5 rows are enough
    [InlineData(2047, 1000, 256, 125, 8)] // 256x125 rounded up from 255.9x125
    [InlineData(100, 80, 50, 40, 2)]
    [InlineData(100, 80, 51, 40, 1)] // shrinks by less than half: a full decode
    [InlineData(100, 80, 200, 160, 1)] // enlarges
    [InlineData(100, 80, 100, 80, 1)]
    public void DenominatorFor_PicksTheSmallestScaleStillCoveringTheTarget(int width, int height, int neededWidth, int neededHeight, int expected)
    {
        Assert.Equal(expected, DraftScale.DenominatorFor(new ImageSize(width, height), new ImageSize(neededWidth, neededHeight)));
    }

    [Theory]
    [InlineData(37, 23)]
    [InlineData(64, 48)]
    [InlineData(17, 9)]
    public void TryDecodeRgb_Scaled_GivesLibjpegsRoundedUpSize(int width, int height)
    {
        var rgb = new byte[width * height * 3];
        new Random(width).NextBytes(rgb);
        var jpeg = TestImages.RgbJpeg(rgb, width, height);

        foreach (var denominator in new[] { 1, 2, 4, 8 })
        {
            Assert.True(TurboJpegDecoder.TryDecodeRgb(jpeg, DecodeLimits.Default, denominator, out var raster, out _));
            try
            {
                Assert.Equal(((width + denominator - 1) / denominator, (height + denominator - 1) / denominator, 3),
                    (raster.Width, raster.Height, raster.Channels));
            }
            finally
            {
                raster.Return();
            }
        }
    }

    [Theory]
    [MemberData(nameof(TurboJpegDecoderTests.Photos), MemberType = typeof(TurboJpegDecoderTests))]
    public void DraftToRaster_RealPhotographs_MatchSkiasScaledDecodeExactly(string path)
    {
        // Measured: at 1/2, 1/4 and 1/8 the system library and Skia's bundled copy give identical bytes on all 12
        // photos, as they do in full (TurboJpegDecoderTests), so the fast path and the Skia fallback agree.
        var jpeg = File.ReadAllBytes(path);
        Assert.True(TurboJpegDecoder.TryReadSize(jpeg, DecodeLimits.Default, out var size));
        foreach (var denominator in new[] { 2, 4, 8 })
        {
            // An exact resize to the scaled size asks for exactly that denominator.
            var scaled = DraftScale.Of(size, denominator);
            var resize = new ResizeOp(scaled.Width, scaled.Height);
            var fast = ImageDecoder.DraftToRaster(jpeg, ColorMode.Rgb, null, path, resize, out var fastFull, out var fastDenominator);
            var skia = ImageDecoder.DraftToRasterWithCodec(jpeg, ColorMode.Rgb, null, path, resize, out var skiaFull, out var skiaDenominator);
            try
            {
                Assert.Equal((denominator, denominator), (fastDenominator, skiaDenominator));
                Assert.Equal((size, size), (fastFull, skiaFull));
                Assert.Equal((scaled.Width, scaled.Height), (fast.Width, fast.Height));
                Assert.Equal((scaled.Width, scaled.Height), (skia.Width, skia.Height));
                Assert.True(fast.Pixels.SequenceEqual(skia.Pixels), $"{path} at 1/{denominator}: the pixels differ from Skia's");
            }
            finally
            {
                fast.Return();
                skia.Return();
            }
        }
    }

    [Fact]
    public void DraftToRaster_SidewaysPhoto_ChoosesTheScaleFromTheUprightSize()
    {
        // Stored 320x200, EXIF 6 (a quarter turn): upright 200x320. For 50x160 only 1/2 (100x160) covers it; read
        // without the turn (160x100 at 1/2) nothing would, and the decode would be full.
        var jpeg = TestImages.WithExifOrientation(TestImages.RgbJpeg(Quadrants(320, 200), 320, 200), 6);

        var image = ImageDecoder.DraftToRaster(jpeg, ColorMode.Rgb, null, "sideways.jpg", new ResizeOp(50, 160), out var fullSize, out var denominator);
        try
        {
            Assert.Equal(2, denominator);
            Assert.Equal(new ImageSize(200, 320), fullSize);
            Assert.Equal((100, 160), (image.Width, image.Height));
        }
        finally
        {
            image.Return();
        }
    }

    [Fact]
    public void DraftToRaster_CmykJpeg_UsesSkiasScaledDecode()
    {
        var cmyk = File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Fixtures", "cmyk-16x16.jpg"));

        var image = ImageDecoder.DraftToRaster(cmyk, ColorMode.Rgb, null, "cmyk.jpg", new ResizeOp(4, 4), out var fullSize, out var denominator);
        try
        {
            Assert.Equal((4, new ImageSize(16, 16)), (denominator, fullSize));
            Assert.Equal((4, 4, 3), (image.Width, image.Height, image.Channels));
            // The fixture is flat (200, 50, 50), which the full decode gives exactly, and so does the reduced one.
            for (var i = 0; i < image.Pixels.Length; i += 3)
            {
                Assert.Equal((200, 50, 50), (image.Pixels[i], image.Pixels[i + 1], image.Pixels[i + 2]));
            }
        }
        finally
        {
            image.Return();
        }
    }

    /// <summary>RGB pixels whose quadrants differ, so any turn or mirror shows.</summary>
    internal static byte[] Quadrants(int width, int height)
    {
        var rgb = new byte[width * height * 3];
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                var i = ((y * width) + x) * 3;
                (rgb[i], rgb[i + 1], rgb[i + 2]) = (x < width / 2 ? (byte)30 : (byte)220, y < height / 2 ? (byte)40 : (byte)200, 128);
            }
        }

        return rgb;
    }
}
