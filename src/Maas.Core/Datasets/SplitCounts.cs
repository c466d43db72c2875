namespace Maas.Core.Datasets;

/// <summary>How many samples of each class each split holds.</summary>
/// <param name="Classes">Class names, in label order.</param>
/// <param name="Counts">Counts[split][label].</param>
public sealed record SplitCounts(IReadOnlyList<string> Classes, IReadOnlyDictionary<Split, int[]> Counts)
{
    /// <summary>Counts the samples of <paramref name="samples"/> by split and class.</summary>
    public static SplitCounts Of(IReadOnlyList<string> classes, IEnumerable<Sample> samples)
    {
        ArgumentNullException.ThrowIfNull(classes);
        ArgumentNullException.ThrowIfNull(samples);
        var counts = new Dictionary<Split, int[]>();
        foreach (var sample in samples)
        {
            if (!counts.TryGetValue(sample.Split, out var perClass))
            {
                perClass = new int[classes.Count];
                counts[sample.Split] = perClass;
            }

            perClass[sample.Label]++;
        }

        return new SplitCounts(classes, counts);
    }

    /// <summary>The number of samples in <paramref name="split"/>.</summary>
    public int Total(Split split) => Counts.TryGetValue(split, out var c) ? c.Sum() : 0;
}
