namespace Maas.Core.Datasets;

/// <summary>How many samples of each class each split holds.</summary>
/// <param name="Classes">Class names, in label order.</param>
/// <param name="Counts">Counts[split][label].</param>
public sealed record SplitCounts(IReadOnlyList<string> Classes, IReadOnlyDictionary<Split, int[]> Counts)
{
    /// <summary>Counts the samples of <paramref name="samples"/> by split and class.</summary>
    public static SplitCounts Of(IReadOnlyList<string> classes, IEnumerable<Sample> samples)
    {
        ArgumentNullException.ThrowIfNull(samples);
        return Sum(classes, samples.Select(s => (s.Split, s.Label, 1)));
    }

    /// <summary>Adds up counts already grouped elsewhere (a database's GROUP BY), by split and label.</summary>
    public static SplitCounts Sum(IReadOnlyList<string> classes, IEnumerable<(Split Split, int Label, int Count)> groups)
    {
        ArgumentNullException.ThrowIfNull(classes);
        ArgumentNullException.ThrowIfNull(groups);
        var counts = new Dictionary<Split, int[]>();
        foreach (var (split, label, count) in groups)
        {
            if (!counts.TryGetValue(split, out var perClass))
            {
                perClass = new int[classes.Count];
                counts[split] = perClass;
            }

            perClass[label] += count;
        }

        return new SplitCounts(classes, counts);
    }

    /// <summary>The number of samples in <paramref name="split"/>.</summary>
    public int Total(Split split) => Counts.TryGetValue(split, out var c) ? c.Sum() : 0;
}
