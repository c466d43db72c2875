using Maas.Core.Errors;
using Maas.Core.Pipelines;

namespace Maas.Imaging.Tests;

public class ColorOpTests
{
    private static readonly SampleContext s_training = SampleContext.Training(11, 12, 13);

    [Fact]
    public void Grayscale_UsesPilsBt601Weights()
    {
        byte[] rgb = [255, 0, 0, 0, 255, 0, 0, 0, 255, 255, 255, 255];

        var output = PipelineRuns.Evaluate(rgb, 4, 1, 3, new ResizeOp(4, 1), new GrayscaleOp());

        // PIL: convert('L') of pure red, green, blue and white.
        Assert.Equal([76, 150, 29, 255], output);
    }

    [Fact]
    public void Grayscale_ThreeChannels_RepeatsTheLuma()
    {
        var output = PipelineRuns.Evaluate([255, 0, 0], 1, 1, 3, new ResizeOp(1, 1), new GrayscaleOp(3));

        Assert.Equal([76, 76, 76], output);
    }

    [Theory]
    [InlineData(0.5, new byte[] { 0, 50, 100, 128 })]
    [InlineData(2.0, new byte[] { 0, 200, 255, 255 })]
    public void Brightness_CollapsedRange_ScalesAndClamps(double factor, byte[] expected)
    {
        var output = PipelineRuns.Train([0, 100, 200, 255], 4, 1, 1, s_training, new ResizeOp(4, 1), new ColorJitterOp(Brightness: [factor, factor]));

        // 0.5 * 255 = 127.5 rounds half up to 128.
        Assert.Equal(expected, output);
    }

    [Fact]
    public void Contrast_ZeroFactor_GivesTheMeanGray()
    {
        var output = PipelineRuns.Train([0, 100, 200, 60], 4, 1, 1, s_training, new ResizeOp(4, 1), new ColorJitterOp(Contrast: [0, 0]));

        Assert.Equal([90, 90, 90, 90], output);
    }

    [Fact]
    public void Contrast_FactorTwo_DoublesTheDistanceFromTheMean()
    {
        var output = PipelineRuns.Train([0, 100, 200, 60], 4, 1, 1, s_training, new ResizeOp(4, 1), new ColorJitterOp(Contrast: [2, 2]));

        // 2v - 90, clamped.
        Assert.Equal([0, 110, 255, 30], output);
    }

    [Fact]
    public void Saturation_ZeroFactor_GivesEachPixelsGray()
    {
        var output = PipelineRuns.Train([255, 0, 0, 0, 0, 255], 2, 1, 3, s_training, new ResizeOp(2, 1), new ColorJitterOp(Saturation: [0, 0]));

        Assert.Equal([76, 76, 76, 29, 29, 29], output);
    }

    [Fact]
    public void Jitter_FactorsOfOne_ChangeNothing()
    {
        byte[] rgb = [.. Enumerable.Range(0, 48).Select(i => (byte)(i * 5))];

        var output = PipelineRuns.Train(rgb, 4, 4, 3, s_training, new ResizeOp(4, 4), new ColorJitterOp([1, 1], [1, 1], [1, 1]));

        Assert.Equal(rgb, output);
    }

    [Fact]
    public void Jitter_OneNumber_MeansTheSymmetricRangeAroundOne()
    {
        Assert.Equal((0.6, 1.4), ColorJitterOp.FactorRange([0.4])!.Value);
        Assert.Equal((0.0, 2.5), ColorJitterOp.FactorRange([1.5])!.Value);
    }

    [Fact]
    public void Normalize_MapsPixelsThroughMeanAndStdPerChannel()
    {
        var executor = new PipelineExecutor(new PipelineSpec(
            [new DecodeOp(), new ResizeOp(1, 1), new NormalizeOp([0.485f, 0.456f, 0.406f], [0.229f, 0.224f, 0.225f])]));

        var tensor = executor.Run(ImageEncoder.EncodePng([255, 0, 51], 1, 1, 3), "one.png");

        Assert.Equal((1 - 0.485f) / 0.229f, tensor[0], 5);
        Assert.Equal(-0.456f / 0.224f, tensor[1], 5);
        Assert.Equal((0.2f - 0.406f) / 0.225f, tensor[2], 5);
    }

    [Fact]
    public void ToTensorUint8_KeepsThePixelValues()
    {
        var executor = new PipelineExecutor(new PipelineSpec([new DecodeOp(ColorMode.Gray), new ResizeOp(2, 1), new ToTensorOp(TensorDType.Uint8)]));
        var png = ImageEncoder.EncodePng([7, 250], 2, 1, 1);
        var bytes = new byte[2];

        executor.Run(png, bytes, "two.png", SampleContext.Evaluation);

        Assert.Equal(TensorDType.Uint8, executor.DType);
        Assert.Equal([7, 250], bytes);
        Assert.Equal([7f, 250f], executor.Run(png, "two.png"));
    }

    [Fact]
    public void ToTensorBeforeNormalize_TorchvisionsOrder_GivesTheSameTensor()
    {
        var png = ImageEncoder.EncodePng([0, 64, 128, 255], 4, 1, 1);
        var torchvisionOrder = new PipelineExecutor(new PipelineSpec([new DecodeOp(ColorMode.Gray), new ResizeOp(4, 1), new ToTensorOp(), new NormalizeOp([0.5f], [0.5f])]));

        Assert.Equal(new PipelineExecutor(PipelineSpec.ForImages(ColorMode.Gray, 4, 1)).Run(png, "row.png"), torchvisionOrder.Run(png, "row.png"));
        Assert.Equal(-1f, torchvisionOrder.Run(png, "row.png")[0]);
    }

    [Fact]
    public void Run_WithoutToTensor_EndsAsFloat32InZeroToOne()
    {
        var executor = new PipelineExecutor(new PipelineSpec([new DecodeOp(ColorMode.Gray), new ResizeOp(2, 1)]));

        Assert.Equal([0f, 1f], executor.Run(ImageEncoder.EncodePng([0, 255], 2, 1, 1), "two.png"));
    }

    [Fact]
    public void RunIntoBytes_OfANormalizingPipeline_IsRefused()
    {
        var executor = new PipelineExecutor(PipelineSpec.ForImages(ColorMode.Gray, 2, 1));

        var error = Assert.Throws<InvalidOperationException>(() =>
            executor.Run(ImageEncoder.EncodePng([0, 255], 2, 1, 1), new byte[2], "two.png", SampleContext.Evaluation));

        Assert.Contains("op 2 (normalize)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_WithUnresolvedAutoNormalization_IsRefusedNamingTheOp()
    {
        var spec = new PipelineSpec([new DecodeOp(ColorMode.Gray), new ResizeOp(2, 1), NormalizeOp.Auto]);
        var executor = new PipelineExecutor(spec);
        var png = ImageEncoder.EncodePng([0, 255], 2, 1, 1);

        var error = Assert.Throws<InvalidInputException>(() => executor.Run(png, "two.png"));
        var resolved = new PipelineExecutor(spec.ResolveNormalization([0.5f], [0.25f])).Run(png, "two.png");

        Assert.Contains("pipeline op 2 (normalize): mean and std are still \"auto\"", error.Message, StringComparison.Ordinal);
        Assert.Equal([-2f, 2f], resolved);
    }

    [Fact]
    public void RandomErasing_AfterNormalize_WritesTheValueInNormalizedUnits()
    {
        var spec = new PipelineSpec([new DecodeOp(ColorMode.Gray), new ResizeOp(10, 10), new NormalizeOp([0.5f], [0.5f]),
            new RandomErasingOp(P: 1, Scale: [0.1, 0.2], Value: [-7f])]);
        var executor = new PipelineExecutor(spec);
        var png = ImageEncoder.EncodePng(Enumerable.Repeat((byte)255, 100).ToArray(), 10, 10, 1);
        var tensor = new float[100];

        executor.Run(png, tensor, "flat.png", SampleContext.Training(1, 1, 1));

        var erased = tensor.Count(v => v == -7f);
        Assert.InRange(erased, 6, 26);
        Assert.Equal(100 - erased, tensor.Count(v => v == 1f));
        AssertRectangle(tensor.Select(v => v == -7f).ToArray(), 10);
        Assert.All(executor.Run(png, "flat.png"), v => Assert.Equal(1f, v));
    }

    [Fact]
    public void RandomErasing_BeforeNormalize_WritesTheValueAsAPixelLevel()
    {
        var output = PipelineRuns.Train(Enumerable.Repeat((byte)10, 100).ToArray(), 10, 10, 1, s_training,
            new ResizeOp(10, 10), new RandomErasingOp(P: 1, Scale: [0.2, 0.3], Value: [0.5f]));

        Assert.InRange(output.Count(v => v == 128), 12, 40);
        Assert.Equal(100, output.Count(v => v is 128 or 10));
        AssertRectangle(output.Select(v => v == 128).ToArray(), 10);
    }

    [Fact]
    public void RandomErasing_WithPZero_ErasesNothing()
    {
        var flat = Enumerable.Repeat((byte)10, 100).ToArray();

        Assert.Equal(flat, PipelineRuns.Train(flat, 10, 10, 1, s_training, new ResizeOp(10, 10), new RandomErasingOp(P: 0)));
    }

    private static void AssertRectangle(bool[] mask, int width)
    {
        var cells = mask.Select((m, i) => (m, x: i % width, y: i / width)).Where(c => c.m).ToList();
        Assert.NotEmpty(cells);
        var (x0, x1, y0, y1) = (cells.Min(c => c.x), cells.Max(c => c.x), cells.Min(c => c.y), cells.Max(c => c.y));
        Assert.Equal((x1 - x0 + 1) * (y1 - y0 + 1), cells.Count);
    }
}
