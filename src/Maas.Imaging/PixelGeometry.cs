using System.Buffers;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Maas.Core.Pipelines;

namespace Maas.Imaging;

/// <summary>Crops, pads, flips and rotations of 8-bit images; each returns a new raster and leaves its input alone.</summary>
internal static class PixelGeometry
{
    /// <summary>EXIF orientation codes, also used for flips and quarter turns.</summary>
    public const int MirrorHorizontal = 2;

    /// <summary>Half a turn.</summary>
    public const int Rotate180 = 3;

    /// <summary>Top to bottom.</summary>
    public const int MirrorVertical = 4;

    /// <summary>A quarter turn clockwise (EXIF 6, "rotate 90 CW to display").</summary>
    public const int RotateClockwise = 6;

    /// <summary>A quarter turn counter-clockwise (EXIF 8).</summary>
    public const int RotateCounterClockwise = 8;

    /// <summary>Writes the fill colour, one value per channel, into <paramref name="color"/>.</summary>
    public static void FillColor(IReadOnlyList<int>? fill, Span<byte> color)
    {
        for (var c = 0; c < color.Length; c++)
        {
            color[c] = fill is null ? (byte)0 : (byte)(fill.Count == 1 ? fill[0] : fill[c]);
        }
    }

    /// <summary>
    /// The <paramref name="width"/> x <paramref name="height"/> window whose top-left corner is at (<paramref name="left"/>,
    /// <paramref name="top"/>) of the source, which may lie partly or wholly outside it; outside pixels get <paramref name="fill"/>.
    /// </summary>
    public static Raster Window(in Raster source, int left, int top, int width, int height, ReadOnlySpan<byte> fill)
    {
        var channels = source.Channels;
        var output = Raster.Rent(width, height, channels);
        var dst = output.Pixels;
        for (var i = 0; i < dst.Length; i += channels)
        {
            fill.CopyTo(dst[i..]);
        }

        var x0 = Math.Max(0, left);
        var x1 = Math.Min(source.Width, left + width);
        var y0 = Math.Max(0, top);
        var y1 = Math.Min(source.Height, top + height);
        if (x0 < x1)
        {
            var rowBytes = (x1 - x0) * channels;
            for (var y = y0; y < y1; y++)
            {
                source.Buffer.AsSpan(((y * source.Width) + x0) * channels, rowBytes)
                    .CopyTo(dst[((((y - top) * width) + (x0 - left)) * channels)..]);
            }
        }

        return output;
    }

    /// <summary>Pads by repeating the edge or by reflecting about it, as often as a wide border needs.</summary>
    public static Raster PadByIndex(in Raster source, int left, int top, int right, int bottom, PadMode mode)
    {
        var channels = source.Channels;
        var width = source.Width + left + right;
        var height = source.Height + top + bottom;
        var columns = ArrayPool<int>.Shared.Rent(width);
        try
        {
            for (var x = 0; x < width; x++)
            {
                columns[x] = SourceIndex(x - left, source.Width, mode) * channels;
            }

            var output = Raster.Rent(width, height, channels);
            var src = source.Buffer;
            var dst = output.Buffer;
            for (var y = 0; y < height; y++)
            {
                var rowStart = SourceIndex(y - top, source.Height, mode) * source.Stride;
                var o = y * width * channels;
                for (var x = 0; x < width; x++)
                {
                    var s = rowStart + columns[x];
                    for (var c = 0; c < channels; c++)
                    {
                        dst[o++] = src[s + c];
                    }
                }
            }

            return output;
        }
        finally
        {
            ArrayPool<int>.Shared.Return(columns);
        }
    }

    private static int SourceIndex(int i, int length, PadMode mode)
    {
        if (mode == PadMode.Edge || length == 1)
        {
            return Math.Clamp(i, 0, length - 1);
        }

        // Reflection without repeating the edge is periodic with period 2(n - 1): 0 1 2 3 2 1 0 1 2 ...
        var period = 2 * (length - 1);
        var m = ((i % period) + period) % period;
        return m < length ? m : period - m;
    }

    /// <summary>Re-reads the image in one of the eight EXIF orientations (flips and quarter turns), exactly.</summary>
    public static Raster Orient(in Raster source, int orientation)
    {
        var (w, h) = (source.Width, source.Height);
        // Output pixel (x, y) reads source pixel start + x * dx + y * dy (in pixels); see EXIF tag 0x0112.
        var (outWidth, outHeight, start, dx, dy) = orientation switch
        {
            2 => (w, h, w - 1, -1, w),
            3 => (w, h, ((h - 1) * w) + w - 1, -1, -w),
            4 => (w, h, (h - 1) * w, 1, -w),
            5 => (h, w, 0, w, 1),
            6 => (h, w, (h - 1) * w, -w, 1),
            7 => (h, w, ((h - 1) * w) + w - 1, -w, -1),
            8 => (h, w, w - 1, w, -1),
            _ => (w, h, 0, 1, w),
        };
        var channels = source.Channels;
        var output = Raster.Rent(outWidth, outHeight, channels);
        var src = source.Buffer;
        var dst = output.Buffer;
        var o = 0;
        for (var y = 0; y < outHeight; y++)
        {
            var s = start + (y * dy);
            if (dx == 1)
            {
                src.AsSpan(s * channels, outWidth * channels).CopyTo(dst.AsSpan(o));
                o += outWidth * channels;
                continue;
            }

            if (channels == 3)
            {
                for (var x = 0; x < outWidth; x++, s += dx, o += 3)
                {
                    var at = s * 3;
                    (dst[o], dst[o + 1], dst[o + 2]) = (src[at], src[at + 1], src[at + 2]);
                }

                continue;
            }

            for (var x = 0; x < outWidth; x++, s += dx)
            {
                for (var c = 0; c < channels; c++)
                {
                    dst[o++] = src[(s * channels) + c];
                }
            }
        }

        return output;
    }

    /// <summary>
    /// Rotates counter-clockwise by <paramref name="degrees"/> about the image centre. Each output pixel centre is
    /// mapped back into the source and sampled (nearest or bilinear); samples outside the source read <paramref name="fill"/>.
    /// Quarter turns that keep every pixel (expand, or a square image) are exact re-orderings.
    /// </summary>
    public static Raster Rotate(in Raster source, double degrees, bool expand, Interpolation interpolation, ReadOnlySpan<byte> fill)
    {
        var (sin, cos) = RotateOp.SinCos(degrees);
        if (sin == 0 && cos == 1)
        {
            return Orient(source, 1);
        }

        if (sin == 0 || cos == 0)
        {
            var square = source.Width == source.Height;
            if (expand || square || cos != 0)
            {
                return Orient(source, cos == -1 ? Rotate180 : sin == 1 ? RotateCounterClockwise : RotateClockwise);
            }
        }

        var size = expand ? RotateOp.ExpandedSize(new ImageSize(source.Width, source.Height), degrees) : new ImageSize(source.Width, source.Height);
        var channels = source.Channels;
        var output = Raster.Rent(size.Width, size.Height, channels);
        var src = source.Buffer;
        var dst = output.Buffer;
        var (inCx, inCy) = (source.Width / 2.0, source.Height / 2.0);
        var (outCx, outCy) = (size.Width / 2.0, size.Height / 2.0);
        if (interpolation == Interpolation.Nearest)
        {
            RotateNearest(source, output, sin, cos, fill);
            return output;
        }

        Span<float> sample = stackalloc float[channels];
        var o = 0;
        for (var y = 0; y < size.Height; y++)
        {
            var ry = y + 0.5 - outCy;
            for (var x = 0; x < size.Width; x++)
            {
                var rx = x + 0.5 - outCx;
                // Inverse of a counter-clockwise turn in y-down coordinates.
                var sx = (rx * cos) - (ry * sin) + inCx - 0.5;
                var sy = (rx * sin) + (ry * cos) + inCy - 0.5;
                if (interpolation == Interpolation.Nearest)
                {
                    var ix = (int)Math.Floor(sx + 0.5);
                    var iy = (int)Math.Floor(sy + 0.5);
                    var inside = (uint)ix < (uint)source.Width && (uint)iy < (uint)source.Height;
                    for (var c = 0; c < channels; c++)
                    {
                        dst[o++] = inside ? src[(((iy * source.Width) + ix) * channels) + c] : fill[c];
                    }

                    continue;
                }

                var x0 = (int)Math.Floor(sx);
                var y0 = (int)Math.Floor(sy);
                var fx = (float)(sx - x0);
                var fy = (float)(sy - y0);
                sample.Clear();
                Accumulate(source, x0, y0, (1 - fx) * (1 - fy), fill, sample);
                Accumulate(source, x0 + 1, y0, fx * (1 - fy), fill, sample);
                Accumulate(source, x0, y0 + 1, (1 - fx) * fy, fill, sample);
                Accumulate(source, x0 + 1, y0 + 1, fx * fy, fill, sample);
                for (var c = 0; c < channels; c++)
                {
                    dst[o++] = Raster.Quantize(sample[c]);
                }
            }
        }

        return output;
    }

    /// <summary>
    /// The nearest-neighbour case of <see cref="Rotate"/>: the same source position per output pixel, computed from the
    /// same products in the same order (each column's and each row's taken once rather than per pixel), so the bytes
    /// are those of the general loop.
    /// </summary>
    private static void RotateNearest(in Raster source, in Raster output, double sin, double cos, ReadOnlySpan<byte> fill)
    {
        var channels = source.Channels;
        var (width, height) = (output.Width, output.Height);
        var (inCx, inCy) = (source.Width / 2.0, source.Height / 2.0);
        var (outCx, outCy) = (width / 2.0, height / 2.0);
        var products = ArrayPool<double>.Shared.Rent(2 * width);
        var positions = ArrayPool<int>.Shared.Rent(2 * width);
        try
        {
            var columnCos = products.AsSpan(0, width);
            var columnSin = products.AsSpan(width, width);
            for (var x = 0; x < width; x++)
            {
                var rx = x + 0.5 - outCx;
                columnCos[x] = rx * cos;
                columnSin[x] = rx * sin;
            }

            var xs = positions.AsSpan(0, width);
            var ys = positions.AsSpan(width, width);
            var src = source.Pixels;
            var dst = output.Pixels;
            var o = 0;
            for (var y = 0; y < height; y++)
            {
                var ry = y + 0.5 - outCy;
                var (rySin, ryCos) = (ry * sin, ry * cos);
                var x = 0;
                if (Avx.IsSupported)
                {
                    // Four positions at a time, with the scalar loop's operations in its order, lane by lane.
                    var (vRySin, vRyCos) = (Vector256.Create(rySin), Vector256.Create(ryCos));
                    var (vInCx, vInCy, half) = (Vector256.Create(inCx), Vector256.Create(inCy), Vector256.Create(0.5));
                    for (; x + 4 <= width; x += 4)
                    {
                        var sx = Vector256.Create(columnCos.Slice(x, 4)) - vRySin + vInCx - half;
                        var sy = Vector256.Create(columnSin.Slice(x, 4)) + vRyCos + vInCy - half;
                        Avx.ConvertToVector128Int32WithTruncation(Avx.Floor(sx + half)).CopyTo(xs[x..]);
                        Avx.ConvertToVector128Int32WithTruncation(Avx.Floor(sy + half)).CopyTo(ys[x..]);
                    }
                }

                for (; x < width; x++)
                {
                    var sx = columnCos[x] - rySin + inCx - 0.5;
                    var sy = columnSin[x] + ryCos + inCy - 0.5;
                    xs[x] = (int)Math.Floor(sx + 0.5);
                    ys[x] = (int)Math.Floor(sy + 0.5);
                }

                for (x = 0; x < width; x++, o += channels)
                {
                    int ix = xs[x], iy = ys[x];
                    var inside = (uint)ix < (uint)source.Width && (uint)iy < (uint)source.Height;
                    var at = ((iy * source.Width) + ix) * channels;

                    // Byte by byte: a span copy per pixel costs a call for three bytes.
                    if (channels == 3)
                    {
                        (dst[o], dst[o + 1], dst[o + 2]) = inside ? (src[at], src[at + 1], src[at + 2]) : (fill[0], fill[1], fill[2]);
                        continue;
                    }

                    for (var c = 0; c < channels; c++)
                    {
                        dst[o + c] = inside ? src[at + c] : fill[c];
                    }
                }
            }
        }
        finally
        {
            ArrayPool<double>.Shared.Return(products);
            ArrayPool<int>.Shared.Return(positions);
        }
    }

    private static void Accumulate(in Raster source, int x, int y, float weight, ReadOnlySpan<byte> fill, Span<float> sample)
    {
        if (weight == 0)
        {
            return;
        }

        var inside = (uint)x < (uint)source.Width && (uint)y < (uint)source.Height;
        var at = ((y * source.Width) + x) * source.Channels;
        for (var c = 0; c < sample.Length; c++)
        {
            sample[c] += weight * (inside ? source.Buffer[at + c] : fill[c]);
        }
    }
}
