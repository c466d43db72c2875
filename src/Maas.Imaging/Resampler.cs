using System.Buffers;
using Maas.Core.Pipelines;

namespace Maas.Imaging;

/// <summary>
/// Separable resampling of 8-bit images with half-pixel centres. Each axis gets a table of source taps and weights,
/// built once per call; rows are filtered horizontally into floats (only the rows the vertical taps use, which for a
/// bilinear 2560x1600 to 224x224 is 448 of 1600), then vertically into rounded bytes.
/// </summary>
internal static class Resampler
{
    private const double CubicA = -0.75;

    /// <summary>Resamples the <paramref name="cropWidth"/> x <paramref name="cropHeight"/> window at (<paramref name="left"/>, <paramref name="top"/>) of <paramref name="source"/> to all of <paramref name="destination"/>.</summary>
    public static void Resize(in Raster source, int left, int top, int cropWidth, int cropHeight, in Raster destination, Interpolation interpolation) =>
        Resize(source, left, top, cropWidth, cropHeight, cropWidth, cropHeight, destination, interpolation);

    /// <summary>
    /// Resamples all of <paramref name="source"/> to all of <paramref name="destination"/> as if it were
    /// <paramref name="extentWidth"/> x <paramref name="extentHeight"/> pixels, its last column and row only partly
    /// covered: a draft decode's image, whose sides libjpeg rounds up (1050 rows at 1/4 are 263 rows standing for
    /// 262.5). Mapping by the true extent keeps the output aligned with a full decode's; mapping by 263 shifted the
    /// bottom rows by up to half an output pixel, which on the two mate photos with rounded sides made the draft
    /// output's mean difference from an area-filtered full decode (gray, 224x224 centre) 1.6 and 1.8 times what it is aligned.
    /// </summary>
    public static void Resize(in Raster source, double extentWidth, double extentHeight, in Raster destination, Interpolation interpolation) =>
        Resize(source, 0, 0, source.Width, source.Height, extentWidth, extentHeight, destination, interpolation);

    /// <summary>
    /// Resamples all of <paramref name="source"/>, standing for <paramref name="extentWidth"/> x
    /// <paramref name="extentHeight"/> pixels, to an image of <paramref name="outputSize"/>, but computes only the window
    /// of that output at (<paramref name="windowLeft"/>, <paramref name="windowTop"/>) the size of
    /// <paramref name="destination"/>: a resize followed by a crop inside it. Every output pixel is computed as the full
    /// resize computes it, so the window holds exactly the bytes the resize-then-crop would; the pixels the crop would
    /// drop (about half of a 256 to 224 centre crop of a landscape photo) are never computed.
    /// </summary>
    public static void ResizeWindow(in Raster source, double extentWidth, double extentHeight, ImageSize outputSize, int windowLeft, int windowTop,
        in Raster destination, Interpolation interpolation) =>
        Resize(source, 0, 0, source.Width, source.Height, extentWidth, extentHeight, destination, interpolation, outputSize, windowLeft, windowTop);

    private static void Resize(in Raster source, int left, int top, int cropWidth, int cropHeight, double extentWidth, double extentHeight,
        in Raster destination, Interpolation interpolation) =>
        Resize(source, left, top, cropWidth, cropHeight, extentWidth, extentHeight, destination, interpolation,
            new ImageSize(destination.Width, destination.Height), 0, 0);

    private static void Resize(in Raster source, int left, int top, int cropWidth, int cropHeight, double extentWidth, double extentHeight,
        in Raster destination, Interpolation interpolation, ImageSize outputSize, int windowLeft, int windowTop)
    {
        var channels = source.Channels;
        var (width, height) = (destination.Width, destination.Height);
        if (cropWidth == outputSize.Width && cropHeight == outputSize.Height && extentWidth == cropWidth && extentHeight == cropHeight)
        {
            // Every kernel is the identity at scale 1 (its weights are exactly 1 and 0), so copying is the same answer.
            for (var y = 0; y < height; y++)
            {
                source.Buffer.AsSpan((((top + windowTop + y) * source.Width) + left + windowLeft) * channels, width * channels)
                    .CopyTo(destination.Buffer.AsSpan(y * width * channels));
            }

            return;
        }

        if (interpolation == Interpolation.Nearest)
        {
            Nearest(source, left, top, cropWidth, cropHeight, extentWidth, extentHeight, destination, outputSize, windowLeft, windowTop);
            return;
        }

        var columns = AxisTable.Build(cropWidth, extentWidth, outputSize.Width, left, interpolation, windowLeft, width);
        var rows = AxisTable.Build(cropHeight, extentHeight, outputSize.Height, top, interpolation, windowTop, height);
        var needed = ArrayPool<bool>.Shared.Rent(source.Height);
        var filtered = ArrayPool<float>.Shared.Rent(source.Height * width * channels);
        var sums = ArrayPool<float>.Shared.Rent(width * channels);
        try
        {
            Array.Clear(needed, 0, source.Height);
            for (var k = 0; k < rows.Count; k++)
            {
                needed[rows.Indices[k]] = rows.Weights[k] != 0 || needed[rows.Indices[k]];
            }

            var src = source.Buffer;
            var rowFloats = width * channels;
            for (var r = top; r < top + cropHeight; r++)
            {
                if (needed[r])
                {
                    FilterRow(src.AsSpan(r * source.Stride, source.Stride), columns, channels, filtered.AsSpan(r * rowFloats, rowFloats));
                }
            }

            var dst = destination.Buffer;
            var accumulator = sums.AsSpan(0, rowFloats);
            for (var y = 0; y < height; y++)
            {
                accumulator.Clear();
                for (var k = 0; k < rows.Taps; k++)
                {
                    var weight = rows.Weights[(y * rows.Taps) + k];
                    if (weight != 0)
                    {
                        System.Numerics.Tensors.TensorPrimitives.MultiplyAdd(
                            filtered.AsSpan(rows.Indices[(y * rows.Taps) + k] * rowFloats, rowFloats), weight, accumulator, accumulator);
                    }
                }

                var outRow = dst.AsSpan(y * rowFloats, rowFloats);
                for (var i = 0; i < rowFloats; i++)
                {
                    outRow[i] = Raster.Quantize(accumulator[i]);
                }
            }
        }
        finally
        {
            ArrayPool<bool>.Shared.Return(needed);
            ArrayPool<float>.Shared.Return(filtered);
            ArrayPool<float>.Shared.Return(sums);
            columns.Return();
            rows.Return();
        }
    }

    private static void FilterRow(ReadOnlySpan<byte> row, in AxisTable columns, int channels, Span<float> output)
    {
        var taps = columns.Taps;
        var indices = columns.Indices;
        var weights = columns.Weights;
        if (channels == 3)
        {
            for (var x = 0; x < output.Length / 3; x++)
            {
                float r = 0, g = 0, b = 0;
                for (var k = 0; k < taps; k++)
                {
                    var w = weights[(x * taps) + k];
                    var s = indices[(x * taps) + k] * 3;
                    r += w * row[s];
                    g += w * row[s + 1];
                    b += w * row[s + 2];
                }

                output[x * 3] = r;
                output[(x * 3) + 1] = g;
                output[(x * 3) + 2] = b;
            }

            return;
        }

        for (var x = 0; x < output.Length / channels; x++)
        {
            for (var c = 0; c < channels; c++)
            {
                float sum = 0;
                for (var k = 0; k < taps; k++)
                {
                    sum += weights[(x * taps) + k] * row[(indices[(x * taps) + k] * channels) + c];
                }

                output[(x * channels) + c] = sum;
            }
        }
    }

    private static void Nearest(in Raster source, int left, int top, int cropWidth, int cropHeight, double extentWidth, double extentHeight,
        in Raster destination, ImageSize outputSize, int windowLeft, int windowTop)
    {
        var channels = source.Channels;
        var (width, height) = (destination.Width, destination.Height);
        var src = source.Buffer;
        var dst = destination.Buffer;
        for (var y = 0; y < height; y++)
        {
            var sy = top + NearestIndex(windowTop + y, cropHeight, extentHeight, outputSize.Height);
            for (var x = 0; x < width; x++)
            {
                var from = ((sy * source.Width) + left + NearestIndex(windowLeft + x, cropWidth, extentWidth, outputSize.Width)) * channels;
                var to = ((y * width) + x) * channels;
                for (var c = 0; c < channels; c++)
                {
                    dst[to + c] = src[from + c];
                }
            }
        }
    }

    // The convention of the executor's first nearest resize: floor((i + 0.5) * n / m) in single precision.
    internal static int NearestIndex(int i, int inLength, int outLength) =>
        Math.Min((int)((i + 0.5f) * inLength / outLength), inLength - 1);

    private static int NearestIndex(int i, int inLength, double extent, int outLength) =>
        extent == inLength ? NearestIndex(i, inLength, outLength) : Math.Min((int)((i + 0.5) * extent / outLength), inLength - 1);

    /// <summary>For each output position along one axis, the source indices it reads and their weights.</summary>
    private readonly struct AxisTable
    {
        private AxisTable(int taps, int count, int[] indices, float[] weights)
        {
            Taps = taps;
            Count = count;
            Indices = indices;
            Weights = weights;
        }

        public int Taps { get; }

        /// <summary>Output positions times taps: how much of the rented arrays is in use.</summary>
        public int Count { get; }

        public int[] Indices { get; }

        public float[] Weights { get; }

        public void Return()
        {
            ArrayPool<int>.Shared.Return(Indices);
            ArrayPool<float>.Shared.Return(Weights);
        }

        /// <summary>
        /// Taps from an axis of <paramref name="inLength"/> pixels starting at <paramref name="offset"/>, standing for
        /// <paramref name="extent"/> pixels (see <see cref="Resize(in Raster, double, double, in Raster, Interpolation)"/>),
        /// to <paramref name="outLength"/> pixels, for the <paramref name="count"/> output positions from
        /// <paramref name="first"/> on; indices are clamped to the window.
        /// </summary>
        public static AxisTable Build(int inLength, double extent, int outLength, int offset, Interpolation interpolation, int first, int count)
        {
            var scale = extent / outLength;
            var taps = interpolation switch
            {
                Interpolation.Bilinear => 2,
                Interpolation.Bicubic => 4,
                _ => (int)Math.Ceiling(scale) + 1,
            };
            var indices = ArrayPool<int>.Shared.Rent(count * taps);
            var weights = ArrayPool<float>.Shared.Rent(count * taps);
            for (var i = first; i < first + count; i++)
            {
                var row = (i - first) * taps;
                for (var k = 0; k < taps; k++)
                {
                    indices[row + k] = offset;
                    weights[row + k] = 0;
                }

                switch (interpolation)
                {
                    case Interpolation.Bilinear:
                    {
                        var s = Math.Clamp(((i + 0.5) * scale) - 0.5, 0, inLength - 1);
                        var i0 = (int)s;
                        var t = s - i0;
                        Set(row, 0, i0, 1 - t);
                        Set(row, 1, Math.Min(i0 + 1, inLength - 1), t);
                        break;
                    }

                    case Interpolation.Bicubic:
                    {
                        var s = ((i + 0.5) * scale) - 0.5;
                        var i0 = (int)Math.Floor(s);
                        var t = s - i0;
                        Set(row, 0, i0 - 1, Cubic(1 + t));
                        Set(row, 1, i0, Cubic(t));
                        Set(row, 2, i0 + 1, Cubic(1 - t));
                        Set(row, 3, i0 + 2, Cubic(2 - t));
                        break;
                    }

                    default:
                    {
                        var start = i * scale;
                        var end = (i + 1) * scale;
                        var k = 0;
                        for (var j = (int)Math.Floor(start); j < end && k < taps; j++)
                        {
                            var overlap = Math.Min(end, j + 1) - Math.Max(start, j);
                            if (overlap > 1e-12)
                            {
                                Set(row, k++, j, overlap / scale);
                            }
                        }

                        break;
                    }
                }
            }

            return new AxisTable(taps, count * taps, indices, weights);

            void Set(int row, int k, int index, double weight)
            {
                indices[row + k] = offset + Math.Clamp(index, 0, inLength - 1);
                weights[row + k] = (float)weight;
            }
        }

        private static double Cubic(double x)
        {
            x = Math.Abs(x);
            return x <= 1 ? ((((CubicA + 2) * x) - (CubicA + 3)) * x * x) + 1
                : x < 2 ? (((((CubicA * x) - (5 * CubicA)) * x) + (8 * CubicA)) * x) - (4 * CubicA)
                : 0;
        }
    }
}
