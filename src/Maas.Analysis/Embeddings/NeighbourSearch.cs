namespace Maas.Analysis.Embeddings;

/// <summary>What <see cref="NearestNeighbours.Search"/> found.</summary>
/// <param name="Indices">Per vector, its k nearest other vectors, most similar first.</param>
/// <param name="Similarities">Per vector, the cosine similarities of those neighbours.</param>
/// <param name="Pairs">Every pair (A &lt; B) at or above the pair threshold, with its similarity.</param>
public sealed record NeighbourSearch(int[][] Indices, float[][] Similarities, IReadOnlyList<(int A, int B, float Similarity)> Pairs)
{
    /// <summary>Mean cosine distance (1 − similarity) to the k nearest neighbours: the outlier score.</summary>
    public double MeanDistance(int i) => Similarities[i].Length == 0 ? 0 : Similarities[i].Average(s => 1.0 - s);
}
