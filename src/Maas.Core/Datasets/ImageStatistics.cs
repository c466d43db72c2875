namespace Maas.Core.Datasets;

/// <summary>The image sizes, channel counts and encoded formats of a dataset version's samples.</summary>
/// <param name="Count">How many samples were counted.</param>
/// <param name="Width">Widths in pixels.</param>
/// <param name="Height">Heights in pixels.</param>
/// <param name="Channels">How many samples have each channel count (1 grayscale, 3 colour, 4 with alpha), by channel count.</param>
/// <param name="Formats">How many samples are stored in each format (<c>png</c>, <c>jpeg</c>, ...), most frequent first.</param>
public sealed record ImageStatistics(
    int Count,
    ValueSummary Width,
    ValueSummary Height,
    IReadOnlyDictionary<int, int> Channels,
    IReadOnlyDictionary<string, int> Formats)
{
    /// <summary>Computes the statistics of <paramref name="samples"/>; with none, every summary is zero and the counts empty.</summary>
    public static ImageStatistics Of(IReadOnlyCollection<Sample> samples)
    {
        ArgumentNullException.ThrowIfNull(samples);
        var channels = new SortedDictionary<int, int>();
        var formats = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var s in samples)
        {
            channels[s.Channels] = channels.GetValueOrDefault(s.Channels) + 1;
            formats[s.Format] = formats.GetValueOrDefault(s.Format) + 1;
        }

        // Most frequent first, ties by name, so output is stable; a dictionary built by insertion alone enumerates in that order.
        var orderedFormats = formats.OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key, StringComparer.Ordinal)
            .ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);
        return new ImageStatistics(samples.Count, ValueSummary.Of(samples.Select(s => s.Width)),
            ValueSummary.Of(samples.Select(s => s.Height)), channels, orderedFormats);
    }
}

/// <summary>The smallest, median and largest of a set of whole numbers.</summary>
/// <param name="Min">The smallest value.</param>
/// <param name="Median">The middle value; with an even count, the mean of the two middle values.</param>
/// <param name="Max">The largest value.</param>
public sealed record ValueSummary(int Min, double Median, int Max)
{
    /// <summary>Summarizes <paramref name="values"/>; with none, all three are zero.</summary>
    public static ValueSummary Of(IEnumerable<int> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var sorted = values.ToArray();
        if (sorted.Length == 0)
        {
            return new ValueSummary(0, 0, 0);
        }

        Array.Sort(sorted);
        var middle = sorted.Length / 2;
        var median = sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + (double)sorted[middle]) / 2;
        return new ValueSummary(sorted[0], median, sorted[^1]);
    }
}
