using System.Numerics.Tensors;

namespace Maas.Analysis.Embeddings;

/// <summary>
/// Exact k-nearest-neighbour search by cosine similarity over unit-length vectors: a blocked brute-force
/// similarity matrix, one <see cref="TensorPrimitives.Dot(ReadOnlySpan{float}, ReadOnlySpan{float})"/> per pair.
/// Quadratic, but at 512 dimensions 10,000 vectors are 5e7 dot products, seconds on two cores, and exact; an
/// approximate index would only pay off well beyond that.
/// </summary>
public static class NearestNeighbours
{
    // 32 queries against 256 candidates of 512 floats keep the candidate block (512 KiB) in L2 while each query is reused.
    private const int QueryBlock = 32;
    private const int CandidateBlock = 256;

    /// <summary>
    /// The <paramref name="k"/> most similar other vectors of each vector (most similar first), and every pair
    /// i &lt; j whose similarity is at least <paramref name="pairThreshold"/>.
    /// </summary>
    public static NeighbourSearch Search(IReadOnlyList<float[]> unitVectors, int k, double pairThreshold, int parallelism,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(unitVectors);
        var n = unitVectors.Count;
        k = Math.Min(k, Math.Max(n - 1, 0));
        var indices = new int[n][];
        var similarities = new float[n][];
        var pairs = new List<(int, int, float)>();
        var gate = new Lock();
        var blocks = (n + QueryBlock - 1) / QueryBlock;
        Parallel.For(0, blocks, new ParallelOptions { CancellationToken = cancellationToken, MaxDegreeOfParallelism = parallelism }, block =>
        {
            var start = block * QueryBlock;
            var end = Math.Min(start + QueryBlock, n);
            var bestIndex = new int[end - start][];
            var bestSimilarity = new float[end - start][];
            for (var q = start; q < end; q++)
            {
                bestIndex[q - start] = Enumerable.Repeat(-1, k).ToArray();
                bestSimilarity[q - start] = Enumerable.Repeat(float.NegativeInfinity, k).ToArray();
            }

            var found = new List<(int, int, float)>();
            for (var cStart = 0; cStart < n; cStart += CandidateBlock)
            {
                var cEnd = Math.Min(cStart + CandidateBlock, n);
                for (var q = start; q < end; q++)
                {
                    var query = unitVectors[q];
                    for (var c = cStart; c < cEnd; c++)
                    {
                        if (c == q)
                        {
                            continue;
                        }

                        var s = TensorPrimitives.Dot(query, unitVectors[c]);
                        if (c > q && s >= pairThreshold)
                        {
                            found.Add((q, c, s));
                        }

                        Insert(bestIndex[q - start], bestSimilarity[q - start], c, s);
                    }
                }
            }

            for (var q = start; q < end; q++)
            {
                indices[q] = bestIndex[q - start];
                similarities[q] = bestSimilarity[q - start];
            }

            lock (gate)
            {
                pairs.AddRange(found);
            }
        });

        pairs.Sort((a, b) => a.Item1 != b.Item1 ? a.Item1.CompareTo(b.Item1) : a.Item2.CompareTo(b.Item2));
        return new NeighbourSearch(indices, similarities, pairs);
    }

    /// <summary>Scales each vector to unit length (a zero vector stays zero).</summary>
    public static float[][] Normalize(IReadOnlyList<float[]> vectors)
    {
        ArgumentNullException.ThrowIfNull(vectors);
        return vectors.Select(v =>
        {
            var norm = TensorPrimitives.Norm(v);
            var unit = new float[v.Length];
            if (norm > 0)
            {
                TensorPrimitives.Divide(v, norm, unit);
            }

            return unit;
        }).ToArray();
    }

    private static void Insert(int[] index, float[] similarity, int candidate, float value)
    {
        var k = index.Length;
        if (k == 0 || value <= similarity[k - 1])
        {
            return;
        }

        var position = k - 1;
        while (position > 0 && similarity[position - 1] < value)
        {
            similarity[position] = similarity[position - 1];
            index[position] = index[position - 1];
            position--;
        }

        similarity[position] = value;
        index[position] = candidate;
    }
}
