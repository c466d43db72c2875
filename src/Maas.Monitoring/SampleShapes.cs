using Maas.Core.Errors;

namespace Maas.Monitoring;

/// <summary>Checks that every sample of a reference and a window has vectors of one length, so detectors compare like with like.</summary>
internal static class SampleShapes
{
    /// <summary>The class count and embedding length shared by all samples; zero each when there are none.</summary>
    /// <exception cref="InvalidInputException">A sample's probability or embedding vector has another length than the first sample's.</exception>
    public static (int Classes, int Dimensions) Check(MonitoringReference reference, IReadOnlyList<MonitoringSample> window)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(window);
        var first = reference.Samples.Count > 0 ? reference.Samples[0] : window.Count > 0 ? window[0] : null;
        if (first is null)
        {
            return (0, 0);
        }

        var embedded = reference.Samples.FirstOrDefault(s => s.Embedding is not null) ?? window.FirstOrDefault(s => s.Embedding is not null);
        int classes = first.Probabilities.Length, dimensions = embedded?.Embedding!.Length ?? 0;
        Check(reference.Samples, "reference", classes, dimensions);
        Check(window, "window", classes, dimensions);
        return (classes, dimensions);
    }

    /// <summary>The samples whose image properties were measured.</summary>
    public static IReadOnlyList<MonitoringSample> Measured(IReadOnlyList<MonitoringSample> samples) =>
        samples.All(s => s.Properties is not null) ? samples : samples.Where(s => s.Properties is not null).ToList();

    /// <summary>The samples that carry an embedding.</summary>
    public static IReadOnlyList<MonitoringSample> Embedded(IReadOnlyList<MonitoringSample> samples) =>
        samples.All(s => s.Embedding is not null) ? samples : samples.Where(s => s.Embedding is not null).ToList();

    private static void Check(IReadOnlyList<MonitoringSample> samples, string what, int classes, int dimensions)
    {
        for (var i = 0; i < samples.Count; i++)
        {
            if (samples[i].Probabilities.Length != classes)
            {
                throw new InvalidInputException($"Monitoring {what} sample {i} has {samples[i].Probabilities.Length} class probabilities; the model has {classes}.");
            }

            if (samples[i].Embedding is { } embedding && embedding.Length != dimensions)
            {
                throw new InvalidInputException($"Monitoring {what} sample {i} has an embedding of length {embedding.Length}; expected {dimensions}.");
            }
        }
    }
}
