using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

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
                    Sub(line, bytesPerPixel);
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

    private static void Sub(Span<byte> line, int bytesPerPixel)
    {
        if (bytesPerPixel == 1)
        {
            // A running sum: the left byte carried in a register rather than stored and loaded again.
            ref var output = ref MemoryMarshal.GetReference(line);
            int left = output;
            for (nint i = 1; i < line.Length; i++)
            {
                left = (byte)(Unsafe.Add(ref output, i) + left);
                Unsafe.Add(ref output, i) = (byte)left;
            }

            return;
        }

        for (var i = bytesPerPixel; i < line.Length; i++)
        {
            line[i] += line[i - bytesPerPixel];
        }
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

        if (bytesPerPixel == 1)
        {
            // As in PaethOneByte: the left byte carried in a register rather than stored and loaded again.
            _ = previous[line.Length - 1];
            ref var output = ref MemoryMarshal.GetReference(line);
            ref var above = ref MemoryMarshal.GetReference(previous);
            int left = output;
            for (nint i = 1; i < line.Length; i++)
            {
                left = (byte)(Unsafe.Add(ref output, i) + ((left + Unsafe.Add(ref above, i)) >> 1));
                Unsafe.Add(ref output, i) = (byte)left;
            }

            return;
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

        if (bytesPerPixel == 1)
        {
            PaethOneByte(line, previous);
            return;
        }

        for (var i = bytesPerPixel; i < line.Length; i++)
        {
            line[i] += (byte)PaethFromThresholds(line[i - bytesPerPixel], previous[i], previous[i - bytesPerPixel]);
        }
    }

    // Gray images: each byte depends on the one just written, so what limits the loop is the chain of operations from
    // the left byte to the next. The predictor is therefore put as thresholds on left - upLeft that depend only on the
    // row above (worked out from the spec's three distances; PaethFromThresholds checks it against them), which leaves
    // a subtraction, compares and selections on the chain. The left byte stays in a register, and the loop indexes by
    // reference (the caller checked the spans' lengths).
    private static void PaethOneByte(Span<byte> line, ReadOnlySpan<byte> previous)
    {
        _ = previous[line.Length - 1]; // the unchecked loads below stay inside the row above
        ref var output = ref MemoryMarshal.GetReference(line);
        ref var above = ref MemoryMarshal.GetReference(previous);
        int left = output, upLeft = above;
        for (nint i = 1; i < line.Length; i++)
        {
            int up = Unsafe.Add(ref above, i);
            left = (byte)(Unsafe.Add(ref output, i) + PaethFromThresholds(left, up, upLeft));
            Unsafe.Add(ref output, i) = (byte)left;
            upLeft = up;
        }
    }

    /// <summary>
    /// The Paeth predictor (PNG spec §9.4: the neighbour nearest to left + up - upLeft, ties to left, then up), computed
    /// as thresholds on d = left - upLeft. With e = up - upLeft
    /// and g = |e|, the spec's distances are |e|, |d| and |d + e|: left wins when d ≥ g or d ≤ -2g for e ≥ 0 (d ≥ 2g or
    /// d ≤ -g for e &lt; 0), and otherwise up wins when |d| ≤ |d + e|, that is 2d ≥ -e for e ≥ 0 and 2d ≤ -e for e &lt; 0.
    /// Everything but d depends on the row above only, off the chain through the left byte; the selections compile to
    /// conditional moves rather than branches, which would follow the image and mispredict.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static int PaethFromThresholds(int left, int up, int upLeft)
    {
        var e = up - upLeft;
        var negative = e >> 31; // 0 or -1
        var g = (e ^ negative) - negative;
        var high = g << (-negative); // g for e >= 0, 2g for e < 0
        var low = -(g << (1 + negative)); // -2g for e >= 0, -g for e < 0
        var d = left - upLeft;
        var twice = ((2 * d) ^ negative) - negative; // 2d, or -2d when e < 0
        var upOrUpLeft = twice >= -g ? up : upLeft;
        return d >= high || d <= low ? left : upOrUpLeft;
    }
}
