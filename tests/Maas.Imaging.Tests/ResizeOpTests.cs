using Maas.Core.Errors;
using Maas.Core.Pipelines;
using Maas.Testing;

namespace Maas.Imaging.Tests;

public class ResizeOpTests
{
    [Theory]
    // Nearest reads source pixels 1 and 3 on each axis: floor((i + 0.5) * 4 / 2).
    [InlineData(Interpolation.Nearest, new byte[] { 50, 70, 130, 150 })]
    // Half-pixel centres fall at 0.5 and 2.5; the gradient is linear, so bilinear gives its exact value there.
    [InlineData(Interpolation.Bilinear, new byte[] { 25, 45, 105, 125 })]
    // Each output pixel is the mean of a 2x2 block.
    [InlineData(Interpolation.Area, new byte[] { 25, 45, 105, 125 })]
    // Cubic weights at t = 0.5 are (-0.09375, 0.59375, 0.59375, -0.09375); clamped borders bend the line:
    // x: 4.0625 and 25.9375, y: 4 times those; 20.3125, 42.1875, 107.8125, 129.6875 rounded.
    [InlineData(Interpolation.Bicubic, new byte[] { 20, 42, 108, 130 })]
    public void Resize_Gradient4x4To2x2_MatchesHandWorkedValues(Interpolation interpolation, byte[] expected)
    {
        var output = PipelineRuns.Evaluate(PipelineRuns.Gradient4x4(), 4, 4, 1, new ResizeOp(2, 2, interpolation));

        Assert.Equal(expected, output);
    }

    [Fact]
    public void Resize_AreaOnARowOfSpikes_AveragesWhereBilinearAndNearestMissThem()
    {
        byte[] row = [0, 0, 90, 0, 0, 90];

        Assert.Equal([30, 30], PipelineRuns.Evaluate(row, 6, 1, 1, new ResizeOp(2, 1, Interpolation.Area)));
        Assert.Equal([0, 0], PipelineRuns.Evaluate(row, 6, 1, 1, new ResizeOp(2, 1, Interpolation.Bilinear)));
        Assert.Equal([0, 0], PipelineRuns.Evaluate(row, 6, 1, 1, new ResizeOp(2, 1, Interpolation.Nearest)));
    }

    [Fact]
    public void Resize_AreaByAFractionalFactor_WeightsPartlyCoveredPixels()
    {
        // Output 0 covers [0, 1.5): (0 + 0.5 * 90) / 1.5 = 30; output 1 covers [1.5, 3): (0.5 * 90 + 180) / 1.5 = 150.
        Assert.Equal([30, 150], PipelineRuns.Evaluate([0, 90, 180], 3, 1, 1, new ResizeOp(2, 1, Interpolation.Area)));
    }

    [Fact]
    public void Resize_BilinearUpscale_RoundsTheHalfPixelReferenceHalfUp()
    {
        // The floats of PipelineExecutorTests' reference (58.75, 76.25, ...) rounded to the nearest 8-bit level.
        var output = PipelineRuns.Evaluate([0, 100, 200, 40], 2, 2, 1, new ResizeOp(4, 4));

        Assert.Equal([0, 25, 75, 100, 50, 59, 76, 85, 150, 126, 79, 55, 200, 160, 80, 40], output);
    }

    [Fact]
    public void Resize_ShorterSide_KeepsTheAspectRatioTruncatingTheLongerSide()
    {
        // 10x7 to shorter side 4: the width is int(4 * 10 / 7) = 5; then the centre 4x4 (offset round(0.5) = 0).
        byte[] pixels = [.. Enumerable.Range(0, 70).Select(i => (byte)(i % 10 * 20))];
        var expected = PipelineRuns.Evaluate(pixels, 10, 7, 1, new ResizeOp(5, 4), new CenterCropOp(4, 4));

        var output = PipelineRuns.Evaluate(pixels, 10, 7, 1, ResizeOp.ToShorterSide(4), new CenterCropOp(4, 4));

        Assert.Equal(new ImageSize(5, 4), ResizeOp.ToShorterSide(4).SizeFor(new ImageSize(10, 7)));
        Assert.Equal(new ImageSize(4, 5), ResizeOp.ToShorterSide(4).SizeFor(new ImageSize(7, 10)));
        Assert.Equal(expected, output);
    }

    [Fact]
    public void Resize_ShorterSideOfAVeryThinImage_IsRefusedAsTooLarge()
    {
        var executor = PipelineRuns.Executor(1, ResizeOp.ToShorterSide(224), new CenterCropOp(224, 224));

        var error = Assert.Throws<UnsupportedImageException>(() => executor.Run(TestImages.FlatGrayPng(10000, 20, 5), "thin.png"));

        Assert.Contains("thin.png: resizing 10000x20", error.Message, StringComparison.Ordinal);
    }
}
