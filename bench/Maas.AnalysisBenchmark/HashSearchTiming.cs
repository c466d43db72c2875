using System.Diagnostics;
using Maas.Analysis.Anomalies;

namespace Maas.AnalysisBenchmark;

/// <summary>One timing of the near-duplicate search.</summary>
/// <param name="Hashes">Hashes searched.</param>
/// <param name="Kind">Where they came from.</param>
/// <param name="Seconds">Building the index and listing every pair within the radius.</param>
/// <param name="Pairs">Pairs found.</param>
internal sealed record HashTiming(int Hashes, string Kind, double Seconds, int Pairs);

/// <summary>
/// Times the multi-index Hamming search the analysis uses for perceptual-hash near duplicates, on real Fashion-MNIST
/// hashes and, beyond 70,000, on synthetic ones: real hashes with 6 random bits flipped, so they crowd together as real
/// ones do (uniformly random hashes would almost never share a block and flatter the index).
/// </summary>
internal static class HashSearchTiming
{
    public const int Radius = 4;

    public static IReadOnlyList<HashTiming> Run(FlippedFashionMnist data, IReadOnlyList<int> sizes, int seed)
    {
        const int Pixels = FlippedFashionMnist.Side * FlippedFashionMnist.Side;
        var images = data.TrainImages.Concat(data.TestImages).ToArray();
        var real = new ulong[images.Length / Pixels];
        Parallel.For(0, real.Length, i => real[i] = PerceptualHash.Compute(images.AsSpan(i * Pixels, Pixels), FlippedFashionMnist.Side, FlippedFashionMnist.Side));
        var random = new Random(seed);
        var timings = new List<HashTiming>();
        foreach (var size in sizes)
        {
            var synthetic = size > real.Length;
            var hashes = synthetic
                ? Enumerable.Range(0, size).Select(_ => Perturb(real[random.Next(real.Length)], random)).ToArray()
                : real[..size];
            // Best of three: the machine is shared, and the fastest run is the one least disturbed.
            var best = double.MaxValue;
            var pairs = 0;
            for (var run = 0; run < 3; run++)
            {
                var clock = Stopwatch.StartNew();
                pairs = new HammingIndex(hashes, Radius).Pairs(CancellationToken.None).Count;
                best = Math.Min(best, clock.Elapsed.TotalSeconds);
            }

            timings.Add(new HashTiming(size, synthetic ? "synthetic (real, 6 bits flipped)" : "Fashion-MNIST", best, pairs));
            BenchmarkRun.Log($"  {size:N0} hashes: {best:F3} s, {pairs:N0} pairs within {Radius} bits");
        }

        return timings;
    }

    private static ulong Perturb(ulong hash, Random random)
    {
        for (var b = 0; b < 6; b++)
        {
            hash ^= 1UL << random.Next(64);
        }

        return hash;
    }
}
