namespace Maas.Monitoring.Detectors;

/// <summary>A seeded random subsample, so detectors cost a bounded amount on large windows and stay reproducible.</summary>
internal static class Subsample
{
    /// <summary>At most <paramref name="maximum"/> items of <paramref name="items"/>, chosen without replacement with <paramref name="seed"/>.</summary>
    public static IReadOnlyList<T> Take<T>(IReadOnlyList<T> items, int maximum, int seed)
    {
        if (items.Count <= maximum)
        {
            return items;
        }

        var copy = items.ToArray();
        new Random(seed).Shuffle(copy);
        return copy[..maximum];
    }
}
