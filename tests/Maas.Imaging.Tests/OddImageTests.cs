using Maas.Core.Pipelines;
using Maas.Testing;

namespace Maas.Imaging.Tests;

public class OddImageTests
{
    private static readonly SampleContext s_training = SampleContext.Training(1, 2, 3);

    private static PipelineExecutor Augmenting(ColorMode color) => new(new PipelineSpec(
        [new DecodeOp(color), new RandomResizedCropOp(8, 8), new RotateOp(Range: [-20, 20]), new HorizontalFlipOp(), new ColorJitterOp([0.2], [0.2], [0.2]), new NormalizeOp([0.5f], [0.5f])]));

    [Fact]
    public void OnePixelImage_RunsThroughEveryKindOfOp()
    {
        var executor = Augmenting(ColorMode.Rgb);
        var png = ImageEncoder.EncodePng([10, 20, 30], 1, 1, 3);
        var tensor = new float[executor.Shape.Length];

        executor.Run(png, tensor, "dot.png", s_training);

        Assert.Equal(new TensorShape(3, 8, 8), executor.Shape);
        Assert.All(tensor, v => Assert.True(float.IsFinite(v)));
        Assert.Equal((10 / 255f - 0.5f) / 0.5f, executor.Run(png, "dot.png")[0], 5);
    }

    [Fact]
    public void VeryThinImage_FallsBackToTheCentreCropAndPadsInEvaluation()
    {
        var executor = Augmenting(ColorMode.Gray);
        var png = TestImages.FlatGrayPng(10000, 20, 200);
        var tensor = new float[executor.Shape.Length];

        executor.Run(png, tensor, "thin.png", s_training);
        var evaluation = new PipelineExecutor(new PipelineSpec([new DecodeOp(ColorMode.Gray), new CenterCropOp(16, 32, [0])])).Run(png, "thin.png");

        Assert.All(tensor, v => Assert.True(float.IsFinite(v)));
        // The 20 image rows sit in the middle of 32: 6 rows of fill above, 6 below.
        Assert.Equal(0f, evaluation[0]);
        Assert.Equal(200 / 255f, evaluation[6 * 16], 5);
        Assert.Equal(0f, evaluation[26 * 16]);
    }

    [Fact]
    public void GrayPng_IntoAnRgbPipeline_RepeatsTheGray()
    {
        var executor = new PipelineExecutor(new PipelineSpec([new DecodeOp(ColorMode.Rgb), new ResizeOp(2, 2), new ToTensorOp(TensorDType.Uint8)]));
        var output = new byte[executor.Shape.Length];

        executor.Run(TestImages.FlatGrayPng(2, 2, 77), output, "gray.png", SampleContext.Evaluation);

        Assert.Equal(new TensorShape(3, 2, 2), executor.Shape);
        Assert.All(output, v => Assert.Equal(77, v));
    }

    [Fact]
    public void PngWithAlpha_DropsAlphaKeepingTheColourAsPilConvertRgb()
    {
        var png = TestImages.RgbaPng([200, 100, 50, 128, 10, 20, 30, 0, 1, 2, 3, 255], 3, 1);

        var rgb = ImageDecoder.Decode(png, ColorMode.Rgb, null, "alpha.png");
        var gray = ImageDecoder.Decode(png, ColorMode.Gray, null, "alpha.png");

        Assert.Equal([200, 100, 50, 10, 20, 30, 1, 2, 3], rgb.Pixels);
        Assert.Equal(PixelColor.Luma(200, 100, 50), gray.Pixels[0]);
    }

    [Fact]
    public void CmykJpeg_DecodesToTheRgbPilReadsFromIt()
    {
        var jpeg = File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Fixtures", "cmyk-16x16.jpg"));

        var image = ImageDecoder.Decode(jpeg, ColorMode.Rgb, null, "cmyk.jpg");

        Assert.Equal((16, 16, 3), (image.Width, image.Height, image.Channels));
        // PIL reads (200, 50, 50) from it; JPEG rounding allows a level or two.
        Assert.All(image.Pixels.Chunk(3), p =>
        {
            Assert.InRange(p[0], 197, 203);
            Assert.InRange(p[1], 47, 53);
            Assert.InRange(p[2], 47, 53);
        });
    }

    [Theory]
    [InlineData(1, 16, 8, false)]
    [InlineData(3, 16, 8, true)]
    [InlineData(6, 8, 16, false)]
    [InlineData(8, 8, 16, true)]
    public void ExifOrientedJpeg_IsDecodedUpright(ushort orientation, int width, int height, bool darkHalfLast)
    {
        // Stored 16x8: the left 8x8 block black, the right one white.
        var rgb = new byte[16 * 8 * 3];
        for (var i = 0; i < 16 * 8; i++)
        {
            var value = (byte)(i % 16 < 8 ? 0 : 255);
            (rgb[i * 3], rgb[(i * 3) + 1], rgb[(i * 3) + 2]) = (value, value, value);
        }

        var jpeg = TestImages.WithExifOrientation(TestImages.RgbJpeg(rgb, 16, 8), orientation);

        var image = ImageDecoder.Decode(jpeg, ColorMode.Gray, null, "exif.jpg");

        // 1: as stored. 3: upside down, so black is on the right. 6: a clockwise quarter turn puts the left (black)
        // half on top. 8: counter-clockwise puts it at the bottom.
        Assert.Equal((width, height), (image.Width, image.Height));
        var first = width > height ? image.Pixels[(4 * width) + 2] : image.Pixels[(2 * width) + 4];
        var last = width > height ? image.Pixels[(4 * width) + width - 3] : image.Pixels[((height - 3) * width) + 4];
        Assert.True(darkHalfLast ? first > 200 && last < 50 : first < 50 && last > 200, $"first {first}, last {last}");
    }
}
