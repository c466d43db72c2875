using System.Numerics.Tensors;
using Maas.Analysis.Statistics;
using Maas.Monitoring.Statistics;

namespace Maas.Monitoring.Detectors;

/// <summary>
/// The out-of-distribution rate: the share of window embeddings whose nearest reference embedding is farther than
/// the reference's own 99th-percentile nearest-neighbour distance (each reference point's nearest other reference
/// point, leaving itself out). The reference is subsampled to at most <paramref name="maximumReference"/> points.
/// </summary>
/// <remarks>
/// False-alarm control: a one-sided exact binomial test of the count of far window points against the expected 1%,
/// detected when its p-value is below <see cref="Alpha"/> (0.05). The 99th percentile is itself estimated from the
/// reference, so the true null rate scatters around 1% (by about 0.3% with 1,000 reference points); the false-alarm
/// rate is close to, not exactly, 0.05, and a reference of fewer than <paramref name="minimumReference"/> points is
/// insufficient data.
/// </remarks>
public sealed class OutOfDistributionDetector(
    double alpha = 0.05,
    int minimumWindow = 30,
    int minimumReference = 200,
    int maximumReference = 1000,
    int seed = 29) : IDriftDetector
{
    /// <summary>The expected share of far points when the window is drawn like the reference.</summary>
    public const double ExpectedRate = 0.01;

    /// <summary>The false-alarm rate of the binomial test.</summary>
    public double Alpha { get; } = alpha;

    /// <inheritdoc />
    public string Name => "ood_rate";

    /// <inheritdoc />
    public DetectorResult Evaluate(MonitoringReference reference, IReadOnlyList<MonitoringSample> window, CancellationToken cancellationToken)
    {
        var (_, dimensions) = SampleShapes.Check(reference, window);
        var referenceSamples = SampleShapes.Embedded(reference.Samples);
        window = SampleShapes.Embedded(window);
        if (window.Count < minimumWindow || referenceSamples.Count < minimumReference || dimensions == 0)
        {
            return DetectorResult.InsufficientData(Name, Alpha);
        }

        var points = Subsample.Take(referenceSamples, maximumReference, seed).Select(s => s.Embedding!).ToArray();
        var ownDistances = new double[points.Length];
        Parallel.For(0, points.Length, new ParallelOptions { CancellationToken = cancellationToken }, i =>
            ownDistances[i] = Nearest(points, points[i], skip: i));
        Array.Sort(ownDistances);
        var radius = Summary.Quantile(ownDistances, 1 - ExpectedRate);

        var far = 0;
        Parallel.For(0, window.Count, new ParallelOptions { CancellationToken = cancellationToken }, i =>
        {
            if (Nearest(points, window[i].Embedding!, skip: -1) > radius)
            {
                Interlocked.Increment(ref far);
            }
        });

        var rate = (double)far / window.Count;
        var pValue = Binomial.UpperTail(far, window.Count, ExpectedRate);
        return DetectorResult.Of(Name, rate, pValue, Alpha, pValue < Alpha);
    }

    private static double Nearest(float[][] points, float[] x, int skip)
    {
        var best = double.PositiveInfinity;
        for (var j = 0; j < points.Length; j++)
        {
            if (j != skip)
            {
                best = Math.Min(best, TensorPrimitives.Distance(points[j], x));
            }
        }

        return best;
    }
}
