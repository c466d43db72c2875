using Maas.Core.Pipelines;

namespace Maas.Imaging.Tests;

public class GeometryOpTests
{
    // value(x, y) = 10x + 40y on a 4x4 grid.
    private static readonly byte[] s_grid = PipelineRuns.Gradient4x4();

    [Fact]
    public void CenterCrop_EvenMargin_TakesTheMiddle()
    {
        Assert.Equal([50, 60, 90, 100], PipelineRuns.Evaluate(s_grid, 4, 4, 1, new CenterCropOp(2, 2)));
    }

    [Fact]
    public void CenterCrop_OddMargin_RoundsTheOffsetHalfToEvenAsTorchvision()
    {
        // A 3-wide crop of 4 pixels: round(0.5) = 0 in Python, so the crop starts at column 0.
        Assert.Equal([0, 10, 20, 40, 50, 60, 80, 90, 100], PipelineRuns.Evaluate(s_grid, 4, 4, 1, new CenterCropOp(3, 3)));
    }

    [Fact]
    public void CenterCrop_LargerThanTheImage_PadsWithTheFill()
    {
        var output = PipelineRuns.Evaluate([1, 2, 3, 4], 2, 2, 1, new CenterCropOp(4, 3, [9]));

        // Width 2 to 4: one column each side; height 2 to 3: (3 - 2) / 2 = 0 rows on top, 1 below.
        Assert.Equal([9, 1, 2, 9, 9, 3, 4, 9, 9, 9, 9, 9], output);
    }

    [Theory]
    [InlineData(PadMode.Constant, new byte[] { 7, 7, 1, 2, 3, 7, 7 })]
    [InlineData(PadMode.Edge, new byte[] { 1, 1, 1, 2, 3, 3, 3 })]
    [InlineData(PadMode.Reflect, new byte[] { 3, 2, 1, 2, 3, 2, 1 })]
    public void Pad_EachMode_FillsTheBorderAsNumpyPad(PadMode mode, byte[] expected)
    {
        var fill = mode == PadMode.Constant ? new[] { 7 } : null;

        Assert.Equal(expected, PipelineRuns.Evaluate([1, 2, 3], 3, 1, 1, new ResizeOp(3, 1), new PadOp(2, 0, 2, 0, fill, mode)));
    }

    [Fact]
    public void Pad_ReflectWiderThanTheImage_KeepsReflecting()
    {
        // np.pad([1, 2, 3], 4, 'reflect')
        Assert.Equal([1, 2, 3, 2, 1, 2, 3, 2, 1, 2, 3], PipelineRuns.Evaluate([1, 2, 3], 3, 1, 1, new ResizeOp(3, 1), new PadOp(4, 0, 4, 0, null, PadMode.Reflect)));
    }

    [Fact]
    public void Pad_RgbFill_ColoursEachChannel()
    {
        var output = PipelineRuns.Evaluate([10, 20, 30], 1, 1, 3, new ResizeOp(1, 1), new PadOp(1, 0, 0, 0, [1, 2, 3]));

        Assert.Equal([1, 2, 3, 10, 20, 30], output);
    }

    [Fact]
    public void Rotate90_WithExpand_TurnsCounterClockwiseExactly()
    {
        // 3x2 image [[1 2 3] [4 5 6]] turned a quarter counter-clockwise is 2x3 [[3 6] [2 5] [1 4]].
        var output = PipelineRuns.Evaluate([1, 2, 3, 4, 5, 6], 3, 2, 1, new ResizeOp(3, 2), new RotateOp(Angle: 90, Expand: true));

        Assert.Equal([3, 6, 2, 5, 1, 4], output);
    }

    [Fact]
    public void RotateMinus90_WithExpand_TurnsClockwiseExactly()
    {
        var output = PipelineRuns.Evaluate([1, 2, 3, 4, 5, 6], 3, 2, 1, new ResizeOp(3, 2), new RotateOp(Angle: -90, Expand: true));

        Assert.Equal([4, 1, 5, 2, 6, 3], output);
    }

    [Fact]
    public void Rotate180_ReversesThePixels()
    {
        var output = PipelineRuns.Evaluate(s_grid, 4, 4, 1, new ResizeOp(4, 4), new RotateOp(Angle: 180));

        Assert.Equal(s_grid.Reverse(), output);
    }

    [Fact]
    public void Rotate90_SquareWithoutExpand_IsTheExactQuarterTurn()
    {
        var turned = PipelineRuns.Evaluate(s_grid, 4, 4, 1, new ResizeOp(4, 4), new RotateOp(Angle: 90));

        // Row y of the result is column 3 - y of the source, read top to bottom.
        Assert.Equal([30, 70, 110, 150], turned[..4]);
        Assert.Equal([0, 40, 80, 120], turned[12..]);
    }

    [Fact]
    public void Rotate45_WithExpand_GrowsTheCanvasAndFillsTheCorners()
    {
        var flat = Enumerable.Repeat((byte)200, 16).ToArray();

        var executor = PipelineRuns.Executor(1, new ResizeOp(4, 4), new RotateOp(Angle: 45, Fill: [9], Expand: true));
        var output = PipelineRuns.Evaluate(flat, 4, 4, 1, new ResizeOp(4, 4), new RotateOp(Angle: 45, Fill: [9], Expand: true));

        // 4 * (cos 45 + sin 45) = 5.66, so 6x6; the corners are outside the turned square, the centre inside.
        Assert.Equal(new TensorShape(1, 6, 6), executor.Shape);
        Assert.Equal(9, output[0]);
        Assert.Equal(9, output[35]);
        Assert.Equal(200, output[(2 * 6) + 2]);
        Assert.Equal(200, output[(3 * 6) + 3]);
    }

    [Fact]
    public void HorizontalFlip_WithPOne_MirrorsEveryRowInTraining()
    {
        var output = PipelineRuns.Train(s_grid, 4, 4, 1, SampleContext.Training(1, 2, 0), new ResizeOp(4, 4), new HorizontalFlipOp(1));

        Assert.Equal([30, 20, 10, 0], output[..4]);
        Assert.Equal([150, 140, 130, 120], output[12..]);
    }

    [Fact]
    public void VerticalFlip_WithPOne_MirrorsEveryColumnInTraining()
    {
        var output = PipelineRuns.Train(s_grid, 4, 4, 1, SampleContext.Training(1, 2, 0), new ResizeOp(4, 4), new VerticalFlipOp(1));

        Assert.Equal([120, 130, 140, 150], output[..4]);
        Assert.Equal([0, 10, 20, 30], output[12..]);
    }

    [Fact]
    public void Flips_WithPZero_OrInEvaluation_LeaveTheImageAlone()
    {
        Assert.Equal(s_grid, PipelineRuns.Train(s_grid, 4, 4, 1, SampleContext.Training(1, 2, 0), new ResizeOp(4, 4), new HorizontalFlipOp(0), new VerticalFlipOp(0)));
        Assert.Equal(s_grid, PipelineRuns.Evaluate(s_grid, 4, 4, 1, new ResizeOp(4, 4), new HorizontalFlipOp(1), new VerticalFlipOp(1)));
    }

    [Fact]
    public void RandomResizedCrop_WholeAreaSquareRatio_IsAPlainResize()
    {
        byte[] pixels = [.. Enumerable.Range(0, 64).Select(i => (byte)(i * 3))];
        var crop = new RandomResizedCropOp(4, 4, Scale: [1, 1], Ratio: [1, 1]);

        var output = PipelineRuns.Train(pixels, 8, 8, 1, SampleContext.Training(5, 6, 7), crop);

        Assert.Equal(PipelineRuns.Evaluate(pixels, 8, 8, 1, new ResizeOp(4, 4)), output);
    }

    [Fact]
    public void RandomResizedCrop_InEvaluation_ResizesTheShorterSideThenCropsTheCentre()
    {
        byte[] pixels = [.. Enumerable.Range(0, 96).Select(i => (byte)(i * 2))];
        var crop = new RandomResizedCropOp(4, 4, Interpolation: Interpolation.Area);

        var output = PipelineRuns.Evaluate(pixels, 12, 8, 1, crop);

        // Shorter side 8 to 4 makes 12x8 into 6x4, then the centre 4 columns (offset 1).
        Assert.Equal(PipelineRuns.Evaluate(pixels, 12, 8, 1, new ResizeOp(6, 4, Interpolation.Area), new CenterCropOp(4, 4)), output);
    }

    [Fact]
    public void RandomResizedCrop_DrawsAreasWithinTheScaleRange()
    {
        var crop = new RandomResizedCropOp(8, 8, Scale: [0.25, 0.5]);
        for (var sample = 0UL; sample < 200; sample++)
        {
            var random = new OpRandom(SampleContext.Training(3, sample, 0).StreamSeed(1));

            var (left, top, width, height) = PixelStage.DrawCrop(crop, 100, 80, ref random);

            // Rounding the sides can stretch the area a little past the drawn fraction.
            var area = (double)width * height / (100 * 80);
            Assert.InRange(area, 0.23, 0.52);
            Assert.InRange((double)width / height, 0.70, 1.40);
            Assert.InRange(left, 0, 100 - width);
            Assert.InRange(top, 0, 80 - height);
        }
    }
}
