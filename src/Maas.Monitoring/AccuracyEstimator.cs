namespace Maas.Monitoring;

/// <summary>Estimates accuracy without labels from calibrated confidences, and measures it where labels exist.</summary>
public static class AccuracyEstimator
{
    /// <summary>
    /// The top-1 probability of <paramref name="probabilities"/> after temperature scaling: softmax(log p / T), which
    /// equals softmax(logits / T) because log-softmax differs from the logits by a constant. Without a temperature,
    /// the top-1 probability as served.
    /// </summary>
    public static double CalibratedConfidence(float[] probabilities, double? temperature)
    {
        ArgumentNullException.ThrowIfNull(probabilities);
        if (probabilities.Length == 0)
        {
            return 0;
        }

        if (temperature is not { } t || t == 1)
        {
            return probabilities.Max();
        }

        if (t <= 0 || double.IsNaN(t))
        {
            throw new Maas.Core.Errors.InvalidInputException($"A calibration temperature must be positive; got {t}.");
        }

        // p^(1/T) normalised, computed relative to the largest entry so small T does not underflow.
        var top = (double)probabilities.Max();
        if (top <= 0)
        {
            return 1.0 / probabilities.Length;
        }

        double sum = 0;
        foreach (var p in probabilities)
        {
            sum += p > 0 ? Math.Exp(Math.Log(p / top) / t) : 0;
        }

        return 1 / sum;
    }

    /// <summary>The estimated and realized accuracy of <paramref name="window"/> under <paramref name="reference"/>'s temperature.</summary>
    public static AccuracyEstimate Estimate(MonitoringReference reference, IReadOnlyList<MonitoringSample> window)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(window);
        var labelled = window.Where(s => s.TrueLabel is not null).ToArray();
        return new AccuracyEstimate(
            Mean(window, reference.Temperature),
            Mean(reference.Samples, reference.Temperature),
            labelled.Length == 0 ? null : labelled.Count(s => s.PredictedClass == s.TrueLabel) / (double)labelled.Length,
            labelled.Length);
    }

    private static double Mean(IReadOnlyList<MonitoringSample> samples, double? temperature) =>
        samples.Count == 0 ? double.NaN : samples.Average(s => CalibratedConfidence(s.Probabilities, temperature));
}
