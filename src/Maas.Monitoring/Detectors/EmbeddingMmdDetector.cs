using Maas.Analysis.Statistics;

namespace Maas.Monitoring.Detectors;

/// <summary>
/// Drift of the embedding distribution: the kernel maximum mean discrepancy test (RBF kernel, median-heuristic
/// bandwidth) of <see cref="MaximumMeanDiscrepancy"/>, on seeded subsamples of at most
/// <paramref name="maximumPerSide"/> vectors per side so its cost is bounded.
/// </summary>
/// <remarks>
/// False-alarm control: the permutation p-value is exact, so when the window is drawn like the reference the chance
/// of an alarm is at most <see cref="Alpha"/> (0.05), whatever the embedding distribution.
/// </remarks>
public sealed class EmbeddingMmdDetector(double alpha = 0.05, int minimumWindow = 20, int maximumPerSide = 200, int permutations = 200, int seed = 17)
    : IDriftDetector
{
    /// <summary>The false-alarm rate.</summary>
    public double Alpha { get; } = alpha;

    /// <inheritdoc />
    public string Name => "embedding_mmd";

    /// <inheritdoc />
    public DetectorResult Evaluate(MonitoringReference reference, IReadOnlyList<MonitoringSample> window, CancellationToken cancellationToken)
    {
        var (_, dimensions) = SampleShapes.Check(reference, window);
        var referenceSamples = SampleShapes.Embedded(reference.Samples);
        var windowSamples = SampleShapes.Embedded(window);
        if (windowSamples.Count < minimumWindow || referenceSamples.Count < minimumWindow || dimensions == 0)
        {
            return DetectorResult.InsufficientData(Name, Alpha);
        }

        var a = Subsample.Take(referenceSamples, maximumPerSide, seed).Select(s => s.Embedding!).ToArray();
        var b = Subsample.Take(windowSamples, maximumPerSide, seed + 1).Select(s => s.Embedding!).ToArray();
        var result = MaximumMeanDiscrepancy.Test(a, b, permutations, seed, cancellationToken);
        return DetectorResult.Of(Name, result.Mmd2, result.PValue, Alpha, result.PValue < Alpha);
    }
}
