using System.Numerics.Tensors;
using Maas.Core.Pipelines;

namespace Maas.Imaging;

/// <summary>Turns the final 8-bit HWC image into the CHW tensor: scaling, normalization and erasing after it.</summary>
internal static class TensorStage
{
    public static void WriteFloats(in Raster image, ExecutionPlan plan, Span<float> destination, in SampleContext context)
    {
        var channels = image.Channels;
        var pixelCount = image.Width * image.Height;
        var src = image.Pixels;
        Span<float> table = stackalloc float[256];
        for (var c = 0; c < channels; c++)
        {
            // One multiply-add per value, with /255 and the normalization folded in, keeps every path's arithmetic identical.
            var scale = plan.DType == TensorDType.Uint8 ? 1f : 1f / 255f;
            var offset = 0f;
            if (plan.Normalize is { } normalize)
            {
                var std = normalize.StdOf(c);
                scale /= std;
                offset = -normalize.MeanOf(c) / std;
            }

            var plane = destination.Slice(c * pixelCount, pixelCount);
            if (channels == 1)
            {
                // The same rounded multiply, then rounded add, per value as the loop below (MultiplyAdd may fuse them),
                // eight or sixteen values at a time.
                TensorPrimitives.ConvertTruncating<byte, float>(src[..pixelCount], plane);
                TensorPrimitives.Multiply(plane, scale, plane);
                TensorPrimitives.Add(plane, offset, plane);
                continue;
            }

            // Interleaved channels: every byte value's result looked up in a table of the same expression, which
            // takes the multiply, add and conversion out of the strided loop and leaves a load and a store per value.
            for (var value = 0; value < 256; value++)
            {
                table[value] = (value * scale) + offset;
            }

            for (int i = 0, j = c; i < pixelCount; i++, j += channels)
            {
                plane[i] = table[src[j]];
            }
        }

        foreach (var step in plan.TensorOps)
        {
            var erasing = (RandomErasingOp)step.Op;
            var random = new OpRandom(context.StreamSeed(step.SpecIndex));
            if (PixelStage.DrawErasure(erasing, image.Width, image.Height, ref random) is not { } box)
            {
                continue;
            }

            for (var c = 0; c < channels; c++)
            {
                var value = erasing.ValueOf(c);
                for (var y = box.Top; y < box.Top + box.Height; y++)
                {
                    destination.Slice((c * pixelCount) + (y * image.Width) + box.Left, box.Width).Fill(value);
                }
            }
        }
    }

    public static void WriteBytes(in Raster image, Span<byte> destination)
    {
        var channels = image.Channels;
        var pixelCount = image.Width * image.Height;
        var src = image.Pixels;
        for (var c = 0; c < channels; c++)
        {
            var plane = destination.Slice(c * pixelCount, pixelCount);
            for (int i = 0, j = c; i < pixelCount; i++, j += channels)
            {
                plane[i] = src[j];
            }
        }
    }
}
