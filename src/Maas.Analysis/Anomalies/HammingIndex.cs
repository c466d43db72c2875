namespace Maas.Analysis.Anomalies;

/// <summary>
/// Finds every pair of 64-bit hashes within a Hamming radius without comparing all pairs: multi-index hashing
/// (Norouzi, Punjani and Fleet, 2012). The 64 bits are cut into radius + 1 blocks; two hashes at most radius bits
/// apart agree exactly on at least one block (pigeonhole), so bucketing by each block yields every true pair as a
/// candidate, and a popcount of each candidate pair keeps the true ones.
/// </summary>
public sealed class HammingIndex
{
    private readonly ulong[] _hashes;
    private readonly int _radius;
    private readonly (int Shift, ulong Mask)[] _blocks;

    /// <summary>Indexes <paramref name="hashes"/> for queries within <paramref name="radius"/> bits (0 to 63).</summary>
    public HammingIndex(ulong[] hashes, int radius)
    {
        ArgumentNullException.ThrowIfNull(hashes);
        ArgumentOutOfRangeException.ThrowIfNegative(radius);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(radius, 63);
        _hashes = hashes;
        _radius = radius;
        var count = radius + 1;
        _blocks = new (int, ulong)[count];
        var start = 0;
        for (var b = 0; b < count; b++)
        {
            // Blocks differ by at most one bit in width, so no block is much less selective than another.
            var width = (64 / count) + (b < 64 % count ? 1 : 0);
            _blocks[b] = (start, width == 64 ? ulong.MaxValue : ((1UL << width) - 1));
            start += width;
        }
    }

    /// <summary>Every pair (i, j), i &lt; j, of hashes at most the radius apart, with its distance, each once.</summary>
    public IReadOnlyList<(int A, int B, int Distance)> Pairs(CancellationToken cancellationToken)
    {
        var found = new HashSet<(int, int)>();
        var pairs = new List<(int, int, int)>();
        foreach (var (shift, mask) in _blocks)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var buckets = new Dictionary<ulong, List<int>>();
            for (var i = 0; i < _hashes.Length; i++)
            {
                var key = (_hashes[i] >> shift) & mask;
                if (!buckets.TryGetValue(key, out var members))
                {
                    members = [];
                    buckets[key] = members;
                }

                members.Add(i);
            }

            foreach (var members in buckets.Values)
            {
                for (var x = 0; x < members.Count; x++)
                {
                    for (var y = x + 1; y < members.Count; y++)
                    {
                        int a = members[x], b = members[y];
                        var distance = PerceptualHash.Distance(_hashes[a], _hashes[b]);
                        if (distance <= _radius && found.Add((a, b)))
                        {
                            pairs.Add((a, b, distance));
                        }
                    }
                }
            }
        }

        return pairs;
    }
}
