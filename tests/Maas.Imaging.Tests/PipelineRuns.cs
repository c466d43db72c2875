using Maas.Core.Pipelines;

namespace Maas.Imaging.Tests;

/// <summary>Runs a few ops on small raw images and returns their 8-bit output, so tests compare against hand-worked pixels.</summary>
internal static class PipelineRuns
{
    /// <summary>Encodes <paramref name="pixels"/> (HWC) losslessly, runs decode then <paramref name="ops"/> in evaluation mode, and returns the HWC bytes.</summary>
    public static byte[] Evaluate(byte[] pixels, int width, int height, int channels, params PipelineOp[] ops)
    {
        var executor = Executor(channels, ops);
        var chw = new byte[executor.Shape.Length];
        executor.Run(ImageEncoder.EncodePng(pixels, width, height, channels), chw, "test.png", SampleContext.Evaluation);
        return ToHwc(chw, executor.Shape);
    }

    /// <summary>As <see cref="Evaluate"/>, in training mode with the given context.</summary>
    public static byte[] Train(byte[] pixels, int width, int height, int channels, SampleContext context, params PipelineOp[] ops)
    {
        var executor = Executor(channels, ops);
        var chw = new byte[executor.Shape.Length];
        executor.Run(ImageEncoder.EncodePng(pixels, width, height, channels), chw, "test.png", context);
        return ToHwc(chw, executor.Shape);
    }

    public static PipelineExecutor Executor(int channels, params PipelineOp[] ops) =>
        new(new PipelineSpec([new DecodeOp(channels == 1 ? ColorMode.Gray : ColorMode.Rgb), .. ops]));

    /// <summary>A 4x4 gray gradient, 10 per column and 40 per row: value(x, y) = 10x + 40y.</summary>
    public static byte[] Gradient4x4() => [.. Enumerable.Range(0, 16).Select(i => (byte)((10 * (i % 4)) + (40 * (i / 4))))];

    private static byte[] ToHwc(byte[] chw, TensorShape shape)
    {
        var plane = shape.Height * shape.Width;
        var hwc = new byte[chw.Length];
        for (var c = 0; c < shape.Channels; c++)
        {
            for (var i = 0; i < plane; i++)
            {
                hwc[(i * shape.Channels) + c] = chw[(c * plane) + i];
            }
        }

        return hwc;
    }
}
