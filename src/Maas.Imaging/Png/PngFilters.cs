using System.Numerics.Tensors;

namespace Maas.Imaging.Png;

/// <summary>Undoes PNG's per-row prediction filters (PNG spec §9) in place, for 8-bit samples.</summary>
internal static class PngFilters
{
    /// <summary>
    /// Reverses the filters of <paramref name="height"/> rows, each a filter-type byte followed by
    /// <paramref name="stride"/> bytes, over <paramref name="bytesPerPixel"/>-byte pixels. False on an unknown filter.
    /// </summary>
    public static bool Reverse(Span<byte> data, int stride, int height, int bytesPerPixel)
    {
        Span<byte> previous = [];
        for (var row = 0; row < height; row++)
        {
            var line = data.Slice((row * (stride + 1)) + 1, stride);
            switch (data[row * (stride + 1)])
            {
                case 0:
                    break;
                case 1:
                    for (var i = bytesPerPixel; i < line.Length; i++)
                    {
                        line[i] += line[i - bytesPerPixel];
                    }

                    break;
                case 2:
                    if (!previous.IsEmpty)
                    {
                        TensorPrimitives.Add(line, previous, line);
                    }

                    break;
                case 3:
                    Average(line, previous, bytesPerPixel);
                    break;
                case 4:
                    Paeth(line, previous, bytesPerPixel);
                    break;
                default:
                    return false;
            }

            previous = line;
        }

        return true;
    }

    private static void Average(Span<byte> line, ReadOnlySpan<byte> previous, int bytesPerPixel)
    {
        // The first row has no row above and the first pixel nothing to its left: the spec reads both as zeros.
        if (previous.IsEmpty)
        {
            for (var i = bytesPerPixel; i < line.Length; i++)
            {
                line[i] += (byte)(line[i - bytesPerPixel] >> 1);
            }

            return;
        }

        for (var i = 0; i < bytesPerPixel; i++)
        {
            line[i] += (byte)(previous[i] >> 1);
        }

        for (var i = bytesPerPixel; i < line.Length; i++)
        {
            line[i] += (byte)((line[i - bytesPerPixel] + previous[i]) >> 1);
        }
    }

    private static void Paeth(Span<byte> line, ReadOnlySpan<byte> previous, int bytesPerPixel)
    {
        if (previous.IsEmpty)
        {
            // With zeros above, the predictor is always the left neighbour: the Sub filter.
            for (var i = bytesPerPixel; i < line.Length; i++)
            {
                line[i] += line[i - bytesPerPixel];
            }

            return;
        }

        // The first pixel has zeros to its left and above-left: the predictor is the byte above.
        for (var i = 0; i < bytesPerPixel; i++)
        {
            line[i] += previous[i];
        }

        for (var i = bytesPerPixel; i < line.Length; i++)
        {
            int left = line[i - bytesPerPixel], up = previous[i], upLeft = previous[i - bytesPerPixel];
            int toLeft = Math.Abs(up - upLeft), toUp = Math.Abs(left - upLeft), toUpLeft = Math.Abs(left + up - upLeft - upLeft);
            // Written as selections rather than branches (the choice follows the image and mispredicts), with the spec's
            // tie order: left, then up, then up-left.
            var upOrUpLeft = toUp <= toUpLeft ? up : upLeft;
            line[i] += (byte)(toLeft <= Math.Min(toUp, toUpLeft) ? left : upOrUpLeft);
        }
    }
}
