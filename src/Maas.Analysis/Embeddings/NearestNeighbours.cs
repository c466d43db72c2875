using System.Numerics.Tensors;

namespace Maas.Analysis.Embeddings;

/// <summary>
/// Exact k-nearest-neighbour search by cosine similarity over unit-length vectors: a blocked brute-force
/// similarity matrix, each query against dimension-major blocks of candidates. Quadratic, but exact; the analysis
/// keeps it affordable by searching in few dimensions (<see cref="PrincipalComponents"/>).
/// </summary>
public static class NearestNeighbours
{
    // A block of 256 candidates (64 KiB at 64 dimensions) stays in L2 while the 32 queries of a block run against it.
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
        var candidates = Transpose(unitVectors, parallelism, cancellationToken);
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
            Span<float> scores = stackalloc float[CandidateBlock];
            for (var b = 0; b < candidates.Length; b++)
            {
                var cStart = b * CandidateBlock;
                var cEnd = Math.Min(cStart + CandidateBlock, n);
                for (var q = start; q < end; q++)
                {
                    Similarities(unitVectors[q], candidates[b], scores);
                    for (var c = cStart; c < cEnd; c++)
                    {
                        if (c == q)
                        {
                            continue;
                        }

                        var s = scores[c - cStart];
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

    /// <summary>
    /// The vectors in blocks of <see cref="CandidateBlock"/>, each block dimension-major (all first coordinates, then
    /// all second ones, ...; zero past the last vector), so that one query's similarities to a whole block are
    /// <c>d</c> vectorized multiply-adds over contiguous memory rather than a dot product call per pair.
    /// </summary>
    private static float[][] Transpose(IReadOnlyList<float[]> vectors, int parallelism, CancellationToken cancellationToken)
    {
        var n = vectors.Count;
        var d = n > 0 ? vectors[0].Length : 0;
        var blocks = new float[(n + CandidateBlock - 1) / CandidateBlock][];
        Parallel.For(0, blocks.Length, new ParallelOptions { CancellationToken = cancellationToken, MaxDegreeOfParallelism = parallelism }, b =>
        {
            var block = new float[d * CandidateBlock];
            for (var c = b * CandidateBlock; c < Math.Min((b + 1) * CandidateBlock, n); c++)
            {
                var v = vectors[c];
                for (var j = 0; j < d; j++)
                {
                    block[(j * CandidateBlock) + (c % CandidateBlock)] = v[j];
                }
            }

            blocks[b] = block;
        });
        return blocks;
    }

    private static void Similarities(float[] query, float[] block, Span<float> scores)
    {
        scores.Clear();
        for (var j = 0; j < query.Length; j++)
        {
            TensorPrimitives.MultiplyAdd(block.AsSpan(j * CandidateBlock, CandidateBlock), query[j], scores, scores);
        }
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
