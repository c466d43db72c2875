using Maas.Analysis.LabelIssues;
using Maas.Monitoring.Statistics;

namespace Maas.Monitoring.Detectors;

/// <summary>
/// The domain classifier test: can a logistic regression on embeddings tell window from reference? Its out-of-fold
/// ROC AUC over a stratified k-fold cross-validation is the statistic; the reference is subsampled to at most
/// <paramref name="referenceRatio"/> times the window (and the window to <paramref name="maximumWindow"/>) to bound the cost.
/// </summary>
/// <remarks>
/// Detected when the AUC exceeds <see cref="AucThreshold"/> (0.55, Evidently's default, so large windows do not alarm
/// on a negligible shift) and the Mann–Whitney test of the out-of-fold scores rejects "scores do not depend on the
/// domain" at <see cref="Alpha"/> (0.05). False-alarm control: that rank test, so the false-alarm rate is at most about
/// 0.05. It is approximate, since out-of-fold scores come from k different fits, not one fixed scorer; it is not
/// permutation-calibrated.
/// </remarks>
public sealed class DomainClassifierDetector(
    double alpha = 0.05,
    int minimumWindow = 30,
    int folds = 5,
    int referenceRatio = 2,
    int maximumWindow = 500,
    double l2 = 0.01,
    int iterations = 100,
    int seed = 23) : IDriftDetector
{
    /// <summary>The AUC a detection must exceed whatever its p-value.</summary>
    public const double AucThreshold = 0.55;

    /// <summary>The false-alarm rate of the rank test.</summary>
    public double Alpha { get; } = alpha;

    /// <inheritdoc />
    public string Name => "domain_classifier_auc";

    /// <inheritdoc />
    public DetectorResult Evaluate(MonitoringReference reference, IReadOnlyList<MonitoringSample> window, CancellationToken cancellationToken)
    {
        var (_, dimensions) = SampleShapes.Check(reference, window);
        var referenceSamples = SampleShapes.Embedded(reference.Samples);
        var windowSamples = SampleShapes.Embedded(window);
        if (windowSamples.Count < minimumWindow || referenceSamples.Count < minimumWindow || dimensions == 0)
        {
            return DetectorResult.InsufficientData(Name, AucThreshold);
        }

        var windowPart = Subsample.Take(windowSamples, maximumWindow, seed);
        var referencePart = Subsample.Take(referenceSamples, referenceRatio * windowPart.Count, seed + 1);
        var features = referencePart.Select(s => s.Embedding!).Concat(windowPart.Select(s => s.Embedding!)).ToArray();
        var isWindow = Enumerable.Repeat(false, referencePart.Count).Concat(Enumerable.Repeat(true, windowPart.Count)).ToArray();

        // Stratified folds (reference 0, window 1), so every fold holds both domains.
        var fold = StratifiedFolds.Assign(isWindow.Select(w => w ? 1 : 0).ToArray(), folds, seed);

        var scores = new double[features.Length];
        for (var f = 0; f < folds; f++)
        {
            var train = Enumerable.Range(0, features.Length).Where(i => fold[i] != f).ToArray();
            var model = LogisticRegression.Fit(train.Select(i => features[i]).ToArray(), train.Select(i => isWindow[i]).ToArray(), l2, iterations, cancellationToken);
            for (var i = 0; i < features.Length; i++)
            {
                if (fold[i] == f)
                {
                    scores[i] = model.Score(features[i]);
                }
            }
        }

        var (auc, pValue) = RankAuc.Compute(scores, isWindow);
        return DetectorResult.Of(Name, auc, pValue, AucThreshold, auc > AucThreshold && pValue < Alpha);
    }
}
