namespace Maas.Training.Evaluation;

/// <summary>
/// Scores a model from its class probabilities alone (rows of a row-major sample x class array, as an ONNX model
/// gives them): everything <see cref="Evaluator.Score"/> gives, plus top-k accuracy, log-likelihood and calibration.
/// </summary>
public static class ProbabilityScoring
{
    /// <summary>Reliability bins of the expected calibration error when none is given: 15, as in Guo et al. (2017).</summary>
    public const int DefaultBinCount = 15;

    // Probabilities that underflowed to 0 would give an infinite loss; this caps one sample's loss at about 69.
    private const double MinProbability = 1e-30;

    /// <summary>Scores probabilities against labels.</summary>
    /// <param name="probabilities">labels.Length x classNames.Count probabilities, row-major.</param>
    /// <param name="labels">The true class of each sample.</param>
    /// <param name="classNames">A name for each class, in class-index order.</param>
    /// <param name="topK">The k of the top-k accuracy; clamped to the class count.</param>
    /// <param name="binCount">Reliability bins of the calibration error. The default is <see cref="DefaultBinCount"/>.</param>
    /// <returns>The report.</returns>
    /// <exception cref="ArgumentException">The sizes disagree, or a label is not a class index.</exception>
    public static ProbabilityReport Score(ReadOnlySpan<float> probabilities, ReadOnlySpan<int> labels, IReadOnlyList<string> classNames,
        int topK = 5, int binCount = DefaultBinCount)
    {
        ArgumentNullException.ThrowIfNull(classNames);
        int k = classNames.Count;
        CheckShape(probabilities, labels, k);
        var predicted = new int[labels.Length];
        for (int i = 0; i < labels.Length; i++)
        {
            predicted[i] = ArgMax(probabilities.Slice(i * k, k));
        }

        var report = Evaluator.Score(labels, predicted, classNames, NegativeLogLikelihood(probabilities, labels, k));
        int clampedK = Math.Clamp(topK, 1, Math.Max(1, k));
        var bins = ReliabilityBins(probabilities, labels, k, binCount);
        return new ProbabilityReport(report, clampedK, TopKAccuracy(probabilities, labels, k, clampedK), ExpectedCalibrationError(bins), bins);
    }

    /// <summary>
    /// Share of samples whose label is among their <paramref name="k"/> most probable classes. Ties are broken towards
    /// the lower class index, as <c>LoadedModel.TopK</c> orders them.
    /// </summary>
    public static double TopKAccuracy(ReadOnlySpan<float> probabilities, ReadOnlySpan<int> labels, int classCount, int k)
    {
        CheckShape(probabilities, labels, classCount);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(k);
        if (labels.IsEmpty)
        {
            return 0;
        }

        int hits = 0;
        for (int i = 0; i < labels.Length; i++)
        {
            var row = probabilities.Slice(i * classCount, classCount);
            int label = labels[i];
            int rank = 0;
            for (int c = 0; c < classCount; c++)
            {
                if (row[c] > row[label] || (row[c] == row[label] && c < label))
                {
                    rank++;
                }
            }

            if (rank < k)
            {
                hits++;
            }
        }

        return (double)hits / labels.Length;
    }

    /// <summary>The mean of −ln p(label), with probabilities floored at 1e-30 so one certain mistake cannot make it infinite.</summary>
    public static double NegativeLogLikelihood(ReadOnlySpan<float> probabilities, ReadOnlySpan<int> labels, int classCount)
    {
        CheckShape(probabilities, labels, classCount);
        if (labels.IsEmpty)
        {
            return 0;
        }

        double sum = 0;
        for (int i = 0; i < labels.Length; i++)
        {
            sum -= Math.Log(Math.Max(probabilities[(i * classCount) + labels[i]], MinProbability));
        }

        return sum / labels.Length;
    }

    /// <summary>
    /// Splits [0, 1] into <paramref name="binCount"/> equal-width bins (Lower, Upper] and puts each sample in the bin
    /// of its top probability (its confidence), with its top class right or wrong.
    /// </summary>
    public static IReadOnlyList<CalibrationBin> ReliabilityBins(ReadOnlySpan<float> probabilities, ReadOnlySpan<int> labels, int classCount,
        int binCount = DefaultBinCount)
    {
        CheckShape(probabilities, labels, classCount);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(binCount);
        var counts = new int[binCount];
        var correct = new int[binCount];
        var confidence = new double[binCount];
        for (int i = 0; i < labels.Length; i++)
        {
            var row = probabilities.Slice(i * classCount, classCount);
            int top = ArgMax(row);
            double p = row[top];
            // Upper edges are included, so a confidence of exactly 0.6 with 15 bins lands in (8/15, 9/15].
            int bin = Math.Clamp((int)Math.Ceiling(p * binCount) - 1, 0, binCount - 1);
            counts[bin]++;
            confidence[bin] += p;
            if (top == labels[i])
            {
                correct[bin]++;
            }
        }

        var bins = new CalibrationBin[binCount];
        for (int b = 0; b < binCount; b++)
        {
            bins[b] = counts[b] == 0
                ? new CalibrationBin((double)b / binCount, (double)(b + 1) / binCount, 0, 0, 0)
                : new CalibrationBin((double)b / binCount, (double)(b + 1) / binCount, counts[b], (double)correct[b] / counts[b], confidence[b] / counts[b]);
        }

        return bins;
    }

    /// <summary>Σ |bin| / n · |accuracy(bin) − confidence(bin)| over the bins.</summary>
    public static double ExpectedCalibrationError(IReadOnlyList<CalibrationBin> bins)
    {
        ArgumentNullException.ThrowIfNull(bins);
        long total = bins.Sum(b => (long)b.Count);
        return total == 0 ? 0 : bins.Sum(b => b.Count * Math.Abs(b.Accuracy - b.Confidence)) / total;
    }

    /// <summary>The index of the largest value (the first, on a tie).</summary>
    internal static int ArgMax(ReadOnlySpan<float> row)
    {
        int best = 0;
        for (int c = 1; c < row.Length; c++)
        {
            if (row[c] > row[best])
            {
                best = c;
            }
        }

        return best;
    }

    internal static void CheckShape(ReadOnlySpan<float> scores, ReadOnlySpan<int> labels, int classCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(classCount);
        if (scores.Length != (long)labels.Length * classCount)
        {
            throw new ArgumentException($"{labels.Length} samples of {classCount} classes need {(long)labels.Length * classCount} scores, got {scores.Length}.", nameof(scores));
        }

        for (int i = 0; i < labels.Length; i++)
        {
            if ((uint)labels[i] >= (uint)classCount)
            {
                throw new ArgumentException($"Sample {i} has label {labels[i]}, not a class index in [0, {classCount}).", nameof(labels));
            }
        }
    }
}
