using Maas.Core.Pipelines;
using Maas.Imaging.Jpeg;
using Maas.Testing;

namespace Maas.Imaging.Tests.Jpeg;

/// <summary>The system libjpeg-turbo path must give exactly the native codec's pixels and header, and step aside otherwise.</summary>
public class TurboJpegDecoderTests
{
    public static TheoryData<string> Photos() =>
        [.. Directory.GetFiles("/usr/share/backgrounds/mate/nature", "*.jpg").Order(StringComparer.Ordinal)];

    [Fact]
    public void The_system_library_is_installed()
    {
        // setup.sh installs libturbojpeg0; without it JPEGs still decode, at half the speed.
        Assert.True(TurboJpegDecoder.IsAvailable, $"{TurboJpegNative.Library} did not load; run ./setup.sh");
    }

    [Theory]
    [MemberData(nameof(Photos))]
    public void Decodes_real_photographs_exactly_as_the_native_codec_does(string path)
    {
        var jpeg = File.ReadAllBytes(path);

        Assert.True(TurboJpegDecoder.TryDecodeRgb(jpeg, DecodeLimits.Default, out var turbo, out _));
        var native = ImageDecoder.DecodeToRasterWithCodec(jpeg, ColorMode.Rgb, null, path);
        try
        {
            Assert.Equal((native.Width, native.Height, native.Channels), (turbo.Width, turbo.Height, turbo.Channels));
            Assert.True(native.Pixels.SequenceEqual(turbo.Pixels), $"{path}: the pixels differ from the native codec's");
        }
        finally
        {
            turbo.Return();
            native.Return();
        }

        Assert.Equal(ImageDecoder.ValidateWithCodec(jpeg, null, path), ImageDecoder.Validate(jpeg, null, path));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(6)]
    [InlineData(8)]
    public void Applies_the_exif_orientation_and_gray_as_the_native_codec_does(ushort orientation)
    {
        var rgb = new byte[40 * 24 * 3];
        new Random(orientation).NextBytes(rgb);
        var jpeg = TestImages.WithExifOrientation(TestImages.RgbJpeg(rgb, 40, 24), orientation);

        foreach (var color in new[] { ColorMode.Rgb, ColorMode.Gray })
        {
            var fast = ImageDecoder.DecodeToRaster(jpeg, color, null, "exif.jpg");
            var native = ImageDecoder.DecodeToRasterWithCodec(jpeg, color, null, "exif.jpg");
            try
            {
                Assert.Equal((native.Width, native.Height, native.Channels), (fast.Width, fast.Height, fast.Channels));
                Assert.True(native.Pixels.SequenceEqual(fast.Pixels));
            }
            finally
            {
                fast.Return();
                native.Return();
            }
        }
    }

    [Fact]
    public void Asks_for_the_orientation_only_of_jpegs_with_an_exif_block()
    {
        var plain = TestImages.RgbJpeg(new byte[16 * 8 * 3], 16, 8);

        Assert.False(JpegExif.MayHaveOrientation(plain));
        Assert.True(JpegExif.MayHaveOrientation(TestImages.WithExifOrientation(plain, 6)));
        Assert.True(JpegExif.MayHaveOrientation("not a jpeg"u8));
    }

    [Fact]
    public void Steps_aside_for_cmyk_truncated_and_oversized_files()
    {
        var cmyk = File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Fixtures", "cmyk-16x16.jpg"));
        var photo = File.ReadAllBytes(Directory.GetFiles("/usr/share/backgrounds/mate/nature", "*.jpg").Order(StringComparer.Ordinal).First());

        Assert.False(TurboJpegDecoder.TryDecodeRgb(cmyk, DecodeLimits.Default, out _, out _));
        Assert.False(TurboJpegDecoder.TryDecodeRgb(photo[..(photo.Length / 2)], DecodeLimits.Default, out _, out _));
        Assert.False(TurboJpegDecoder.TryDecodeRgb(photo, new DecodeLimits(MaxPixels: 1000), out _, out _));
        var error = Assert.Throws<Maas.Core.Errors.UnsupportedImageException>(() => ImageDecoder.Validate(photo[..(photo.Length / 2)], null, "cut.jpg"));
        Assert.StartsWith("cut.jpg: the jpeg data", error.Message, StringComparison.Ordinal);
    }
}
