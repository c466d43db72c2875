using Maas.Core.Pipelines;

namespace Maas.Imaging.Tests;

public class TensorStageTests
{
    [Theory]
    [InlineData(1, 1)]
    [InlineData(16, 1)]
    [InlineData(37, 11)]
    [InlineData(224, 224)]
    public void Rgb_pixels_become_normalized_planes_with_the_scalar_arithmetic(int width, int height)
    {
        var random = new Random(width * height);
        var pixels = new byte[width * height * 3];
        random.NextBytes(pixels);
        float[] mean = [0.485f, 0.456f, 0.406f], std = [0.229f, 0.224f, 0.225f];
        var plan = new ExecutionPlan(
            [new DecodeOp(), new ResizeOp(width, height), new NormalizeOp(mean, std), new ToTensorOp(TensorDType.Float32)], [0, 1, 2, 3]);
        var image = Raster.CopyOf(pixels, width, height, 3);
        var tensor = new float[3 * width * height];

        TensorStage.WriteFloats(image, plan, tensor, SampleContext.Evaluation);

        // The documented expression: one rounded multiply by (1/255)/std, then one rounded add of -mean/std.
        var expected = new float[tensor.Length];
        for (var c = 0; c < 3; c++)
        {
            var scale = 1f / 255f / std[c];
            var offset = -mean[c] / std[c];
            for (var i = 0; i < width * height; i++)
            {
                expected[(c * width * height) + i] = (pixels[(i * 3) + c] * scale) + offset;
            }
        }

        Assert.Equal(expected, tensor);
        image.Return();
    }
}
