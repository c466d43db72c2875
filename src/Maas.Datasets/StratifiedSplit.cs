using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Maas.Core.Datasets;

namespace Maas.Datasets;

/// <summary>
/// Assigns splits to samples whose source has none: within each class, the samples ordered by a seeded key of their
/// id, then the first fraction to train, the next to validation, the rest to test. The key depends only on the seed
/// and the id, so the same ids and seed give the same splits in any process, in any listing order.
/// </summary>
public static class StratifiedSplit
{
    /// <summary>The sample's place in its class's seeded order: the first 8 bytes of SHA-256 over the seed and the id.</summary>
    public static long Key(int seed, string sampleId)
    {
        ArgumentNullException.ThrowIfNull(sampleId);
        // A process-independent hash: HashCode and string.GetHashCode are seeded per process.
        var input = new byte[4 + Encoding.UTF8.GetMaxByteCount(sampleId.Length)];
        BinaryPrimitives.WriteInt32LittleEndian(input, seed);
        var length = 4 + Encoding.UTF8.GetBytes(sampleId, input.AsSpan(4));
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(input.AsSpan(0, length), hash);
        return BinaryPrimitives.ReadInt64LittleEndian(hash);
    }

    /// <summary>How many of a class's <paramref name="count"/> samples go to train and to validation; the rest go to test.</summary>
    public static (int Train, int Validation) Sizes(int count, IReadOnlyList<double> fractions)
    {
        ArgumentNullException.ThrowIfNull(fractions);
        var train = (int)Math.Round(count * fractions[0]);
        var validation = Math.Min(count - train, (int)Math.Round(count * fractions[1]));
        return (train, validation);
    }

    /// <summary>Returns the split for each of <paramref name="samples"/> (index-aligned), holding them all in memory.</summary>
    public static Split[] Assign(IReadOnlyList<(string SampleId, int Label)> samples, IReadOnlyList<double> fractions, int seed)
    {
        ArgumentNullException.ThrowIfNull(samples);
        ArgumentNullException.ThrowIfNull(fractions);
        var result = new Split[samples.Count];
        foreach (var group in Enumerable.Range(0, samples.Count).GroupBy(i => samples[i].Label))
        {
            var members = group
                .OrderBy(i => Key(seed, samples[i].SampleId))
                .ThenBy(i => samples[i].SampleId, StringComparer.Ordinal)
                .ToArray();
            var (train, validation) = Sizes(members.Length, fractions);
            for (var k = 0; k < members.Length; k++)
            {
                result[members[k]] = SplitAt(k, train, validation);
            }
        }

        return result;
    }

    /// <summary>The split of the sample at <paramref name="rank"/> in its class's seeded order.</summary>
    public static Split SplitAt(int rank, int train, int validation) =>
        rank < train ? Split.Train : rank < train + validation ? Split.Validation : Split.Test;
}
