using System.Numerics;
using Maas.Imaging;

namespace Maas.Analysis.Anomalies;

/// <summary>
/// The 64-bit DCT perceptual hash (pHash as described by Zauner and by hackerfactor.com): shrink to 32x32 gray, take
/// the 2-D DCT-II, keep the top-left 8x8 (the lowest frequencies), and set bit i when coefficient i is above the
/// median of the 63 coefficients other than DC. DC is left out of the median because it only carries the mean
/// brightness and would skew it; its bit stays in the hash, so the hash is the full 64 bits.
/// </summary>
public static class PerceptualHash
{
    private const int Size = 32;
    private const int Low = 8;

    // cos(π (2x + 1) u / 64) for u < 8, x < 32: the only DCT basis values the low 8x8 needs.
    private static readonly double[] s_cosines = BuildCosines();

    /// <summary>The hash of 8-bit gray pixels.</summary>
    public static ulong Compute(ReadOnlySpan<byte> gray, int width, int height)
    {
        Span<float> small = stackalloc float[Size * Size];
        BilinearResize.Resize(gray, width, height, 1, small, Size, Size);

        // Separable DCT: first along rows (x → u), then along columns (y → v), only for the 8 lowest of each.
        Span<double> rows = stackalloc double[Size * Low];
        for (var y = 0; y < Size; y++)
        {
            for (var u = 0; u < Low; u++)
            {
                double s = 0;
                for (var x = 0; x < Size; x++)
                {
                    s += small[(y * Size) + x] * s_cosines[(u * Size) + x];
                }

                rows[(y * Low) + u] = s;
            }
        }

        Span<double> coefficients = stackalloc double[Low * Low];
        for (var v = 0; v < Low; v++)
        {
            for (var u = 0; u < Low; u++)
            {
                double s = 0;
                for (var y = 0; y < Size; y++)
                {
                    s += rows[(y * Low) + u] * s_cosines[(v * Size) + y];
                }

                coefficients[(v * Low) + u] = s;
            }
        }

        Span<double> ac = stackalloc double[(Low * Low) - 1];
        coefficients[1..].CopyTo(ac);
        ac.Sort();
        var median = ac[ac.Length / 2];
        ulong hash = 0;
        for (var i = 0; i < Low * Low; i++)
        {
            if (coefficients[i] > median)
            {
                hash |= 1UL << i;
            }
        }

        return hash;
    }

    /// <summary>The number of bits in which two hashes differ.</summary>
    public static int Distance(ulong a, ulong b) => BitOperations.PopCount(a ^ b);

    private static double[] BuildCosines()
    {
        var table = new double[Low * Size];
        for (var u = 0; u < Low; u++)
        {
            for (var x = 0; x < Size; x++)
            {
                table[(u * Size) + x] = Math.Cos(Math.PI * ((2 * x) + 1) * u / (2.0 * Size));
            }
        }

        return table;
    }
}
