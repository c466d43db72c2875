using Maas.Core.Pipelines;
using Maas.Testing;

namespace Maas.Imaging.Tests;

public class PipelineExecutorTests
{
    [Fact]
    public void Resize_TwoByTwoToFourByFour_MatchesHalfPixelBilinearReference()
    {
        // Worked by hand with half-pixel centres (OpenCV INTER_LINEAR's convention) on [[0, 100], [200, 40]].
        byte[] source = [0, 100, 200, 40];
        var output = new float[16];

        BilinearResize.Resize(source, 2, 2, 1, output, 4, 4);

        float[] expected =
        [
            0, 25, 75, 100,
            50, 58.75f, 76.25f, 85,
            150, 126.25f, 78.75f, 55,
            200, 160, 80, 40,
        ];
        Assert.Equal(expected, output);
    }

    [Fact]
    public void Run_NormalizesToChwWithMeanAndStd()
    {
        var spec = new PipelineSpec([new DecodeOp(ColorMode.Rgb), new ResizeOp(2, 1), new NormalizeOp([0f, 0.5f, 1f], [1f, 0.5f, 2f])]);
        var executor = new PipelineExecutor(spec);
        var png = ImageEncoder.EncodePng([255, 0, 51, 0, 255, 102], 2, 1, 3);

        var tensor = executor.Run(png, "two-pixels.png");

        Assert.Equal(new TensorShape(3, 1, 2), executor.Shape);
        Assert.Equal(1f, tensor[0], 6);
        Assert.Equal(0f, tensor[1], 6);
        Assert.Equal(-1f, tensor[2], 6);
        Assert.Equal(1f, tensor[3], 6);
        Assert.Equal((0.2f - 1f) / 2f, tensor[4], 6);
        Assert.Equal((0.4f - 1f) / 2f, tensor[5], 6);
    }

    [Fact]
    public void Run_SameImageTwice_GivesBitIdenticalTensors()
    {
        var executor = new PipelineExecutor(PipelineSpec.ForImages(ColorMode.Gray, 28, 28));
        var png = TestImages.GradientRgbPng(40, 30, 3);

        Assert.Equal(executor.Run(png, "a"), executor.Run(png, "a"));
    }

    [Fact]
    public void RunMany_MatchesRunOneByOne()
    {
        var executor = new PipelineExecutor(PipelineSpec.ForImages(ColorMode.Rgb, 8, 8));
        var images = Enumerable.Range(0, 20).Select(i => TestImages.GradientRgbPng(10 + i, 12, (byte)i)).ToArray();
        var batch = new float[images.Length * executor.Shape.Length];

        executor.RunMany(images.Length, i => (images[i], $"img{i}"), batch, null, CancellationToken.None);

        for (var i = 0; i < images.Length; i++)
        {
            Assert.Equal(executor.Run(images[i], "x"), batch.AsSpan(i * executor.Shape.Length, executor.Shape.Length).ToArray());
        }
    }
}
