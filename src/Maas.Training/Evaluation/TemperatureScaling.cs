namespace Maas.Training.Evaluation;

/// <summary>
/// Temperature scaling (Guo et al., 2017): one scalar T > 0 that divides a model's logits so that its probabilities
/// mean what they say, fitted by minimizing the negative log-likelihood on held-out data. It never changes which
/// class is most probable, so accuracy is untouched.
/// </summary>
public static class TemperatureScaling
{
    // The search covers T in [1/100, 100]; a model further off than that is broken rather than miscalibrated.
    private const double MinLogTemperature = -4.605170185988091;
    private const double MaxLogTemperature = 4.605170185988091;
    private const double Tolerance = 1e-7;
    private static readonly double s_inverseGolden = (Math.Sqrt(5) - 1) / 2;

    /// <summary>
    /// The T in [0.01, 100] that minimizes the mean negative log-likelihood of <paramref name="labels"/> under
    /// softmax(logits / T), found by golden-section search on log T.
    /// </summary>
    /// <param name="logits">labels.Length x classCount logits, row-major.</param>
    /// <param name="labels">The true class of each sample.</param>
    /// <param name="classCount">Classes per sample.</param>
    /// <returns>The fitted temperature; 1 when there are no samples.</returns>
    /// <exception cref="ArgumentException">The sizes disagree, or a label is not a class index.</exception>
    public static double Fit(ReadOnlySpan<float> logits, ReadOnlySpan<int> labels, int classCount)
    {
        ProbabilityScoring.CheckShape(logits, labels, classCount);
        if (labels.IsEmpty)
        {
            return 1;
        }

        // The NLL is convex in 1/T (it is convex in the logits, which scale linearly with 1/T), so it has one minimum
        // along the monotone map to log T too: golden-section search needs nothing more than that.
        double a = MinLogTemperature, b = MaxLogTemperature;
        double c = b - (s_inverseGolden * (b - a)), d = a + (s_inverseGolden * (b - a));
        double fc = NegativeLogLikelihood(logits, labels, classCount, Math.Exp(c));
        double fd = NegativeLogLikelihood(logits, labels, classCount, Math.Exp(d));
        while (b - a > Tolerance)
        {
            if (fc < fd)
            {
                b = d;
                d = c;
                fd = fc;
                c = b - (s_inverseGolden * (b - a));
                fc = NegativeLogLikelihood(logits, labels, classCount, Math.Exp(c));
            }
            else
            {
                a = c;
                c = d;
                fc = fd;
                d = a + (s_inverseGolden * (b - a));
                fd = NegativeLogLikelihood(logits, labels, classCount, Math.Exp(d));
            }
        }

        return Math.Exp((a + b) / 2);
    }

    /// <summary>The mean of −ln softmax(logits / T)[label], computed stably in double precision.</summary>
    public static double NegativeLogLikelihood(ReadOnlySpan<float> logits, ReadOnlySpan<int> labels, int classCount, double temperature)
    {
        ProbabilityScoring.CheckShape(logits, labels, classCount);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(temperature);
        if (labels.IsEmpty)
        {
            return 0;
        }

        double sum = 0;
        for (int i = 0; i < labels.Length; i++)
        {
            var row = logits.Slice(i * classCount, classCount);
            double max = row[ProbabilityScoring.ArgMax(row)] / temperature;
            double total = 0;
            for (int c = 0; c < classCount; c++)
            {
                total += Math.Exp((row[c] / temperature) - max);
            }

            sum += max + Math.Log(total) - (row[labels[i]] / temperature);
        }

        return sum / labels.Length;
    }

    /// <summary>softmax(logits / T) of each row.</summary>
    public static float[] Apply(ReadOnlySpan<float> logits, int classCount, double temperature)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(classCount);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(temperature);
        var probabilities = new float[logits.Length];
        for (int start = 0; start + classCount <= logits.Length; start += classCount)
        {
            var row = logits.Slice(start, classCount);
            double max = row[ProbabilityScoring.ArgMax(row)] / temperature;
            double total = 0;
            for (int c = 0; c < classCount; c++)
            {
                total += Math.Exp((row[c] / temperature) - max);
            }

            for (int c = 0; c < classCount; c++)
            {
                probabilities[start + c] = (float)(Math.Exp((row[c] / temperature) - max) / total);
            }
        }

        return probabilities;
    }

    /// <summary>
    /// Logits equivalent to <paramref name="probabilities"/>: ln p, which differs from the model's own logits by a
    /// constant per row, and softmax ignores such constants. Probabilities are floored at 1e-30 first.
    /// </summary>
    public static float[] LogitsOf(ReadOnlySpan<float> probabilities)
    {
        var logits = new float[probabilities.Length];
        for (int i = 0; i < logits.Length; i++)
        {
            logits[i] = (float)Math.Log(Math.Max(probabilities[i], 1e-30));
        }

        return logits;
    }
}
