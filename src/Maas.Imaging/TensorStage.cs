using System.Numerics.Tensors;
using System.Runtime.Intrinsics;
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

            // Interleaved channels: sixteen pixels at a time where the hardware has vectors, the last few (or all,
            // without vectors) one by one with the same expression.
            var done = channels == 3 && Vector128.IsHardwareAccelerated ? WriteRgbChannel(src, c, scale, offset, plane) : 0;
            for (int i = done, j = (done * channels) + c; i < pixelCount; i++, j += channels)
            {
                plane[i] = (src[j] * scale) + offset;
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

    /// <summary>
    /// Channel <paramref name="channel"/> of RGB pixels into its float plane, sixteen pixels at a time: three byte
    /// shuffles gather the channel's sixteen bytes from 48, which are widened, converted, multiplied and added exactly as
    /// the scalar expression does (a rounded multiply, then a rounded add). Returns how many pixels it wrote, a multiple
    /// of sixteen; the caller does the rest.
    /// </summary>
    private static int WriteRgbChannel(ReadOnlySpan<byte> src, int channel, float scale, float offset, Span<float> plane)
    {
        var (first, second, third) = channel switch
        {
            0 => (s_red0, s_red1, s_red2),
            1 => (s_green0, s_green1, s_green2),
            _ => (s_blue0, s_blue1, s_blue2),
        };
        var (scales, offsets) = (Vector128.Create(scale), Vector128.Create(offset));
        var i = 0;
        for (; i + 16 <= plane.Length; i += 16)
        {
            var at = i * 3;
            var bytes = Vector128.Shuffle(Vector128.Create(src.Slice(at, 16)), first)
                | Vector128.Shuffle(Vector128.Create(src.Slice(at + 16, 16)), second)
                | Vector128.Shuffle(Vector128.Create(src.Slice(at + 32, 16)), third);
            var (low, high) = Vector128.Widen(bytes);
            var (a, b) = Vector128.Widen(low);
            var (c, d) = Vector128.Widen(high);
            ((Vector128.ConvertToSingle(a.AsInt32()) * scales) + offsets).CopyTo(plane[i..]);
            ((Vector128.ConvertToSingle(b.AsInt32()) * scales) + offsets).CopyTo(plane[(i + 4)..]);
            ((Vector128.ConvertToSingle(c.AsInt32()) * scales) + offsets).CopyTo(plane[(i + 8)..]);
            ((Vector128.ConvertToSingle(d.AsInt32()) * scales) + offsets).CopyTo(plane[(i + 12)..]);
        }

        return i;
    }

    // Where each channel's bytes of sixteen RGB pixels sit in the three 16-byte blocks they span; 255 selects zero.
    private static readonly Vector128<byte> s_red0 = Vector128.Create((byte)0, 3, 6, 9, 12, 15, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255);
    private static readonly Vector128<byte> s_red1 = Vector128.Create((byte)255, 255, 255, 255, 255, 255, 2, 5, 8, 11, 14, 255, 255, 255, 255, 255);
    private static readonly Vector128<byte> s_red2 = Vector128.Create((byte)255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 1, 4, 7, 10, 13);
    private static readonly Vector128<byte> s_green0 = Vector128.Create((byte)1, 4, 7, 10, 13, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255);
    private static readonly Vector128<byte> s_green1 = Vector128.Create((byte)255, 255, 255, 255, 255, 0, 3, 6, 9, 12, 15, 255, 255, 255, 255, 255);
    private static readonly Vector128<byte> s_green2 = Vector128.Create((byte)255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 2, 5, 8, 11, 14);
    private static readonly Vector128<byte> s_blue0 = Vector128.Create((byte)2, 5, 8, 11, 14, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255);
    private static readonly Vector128<byte> s_blue1 = Vector128.Create((byte)255, 255, 255, 255, 255, 1, 4, 7, 10, 13, 255, 255, 255, 255, 255, 255);
    private static readonly Vector128<byte> s_blue2 = Vector128.Create((byte)255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 0, 3, 6, 9, 12, 15);

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
