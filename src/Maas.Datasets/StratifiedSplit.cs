using Maas.Core.Datasets;

namespace Maas.Datasets;

/// <summary>
/// Assigns splits to samples whose source has none: within each class, a seeded shuffle of the sample ids, then the
/// first fraction to train, the next to validation, the rest to test. The same ids and seed give the same splits.
/// </summary>
public static class StratifiedSplit
{
    /// <summary>Returns the split for each of <paramref name="samples"/> (index-aligned).</summary>
    public static Split[] Assign(IReadOnlyList<(string SampleId, int Label)> samples, IReadOnlyList<double> fractions, int seed)
    {
        ArgumentNullException.ThrowIfNull(samples);
        ArgumentNullException.ThrowIfNull(fractions);
        var result = new Split[samples.Count];
        foreach (var group in Enumerable.Range(0, samples.Count).GroupBy(i => samples[i].Label))
        {
            // Sorting by id before shuffling makes the result independent of the order files were listed in.
            var members = group.OrderBy(i => samples[i].SampleId, StringComparer.Ordinal).ToArray();
            new Random(HashCode.Combine(seed, group.Key)).Shuffle(members);
            var train = (int)Math.Round(members.Length * fractions[0]);
            var validation = (int)Math.Round(members.Length * fractions[1]);
            for (var k = 0; k < members.Length; k++)
            {
                result[members[k]] = k < train ? Split.Train : k < train + validation ? Split.Validation : Split.Test;
            }
        }

        return result;
    }
}
