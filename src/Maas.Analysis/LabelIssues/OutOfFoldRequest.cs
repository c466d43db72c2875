using Maas.Core.Datasets;

namespace Maas.Analysis.LabelIssues;

/// <summary>What an <see cref="IOutOfFoldClassifier"/> is asked to predict.</summary>
/// <param name="Samples">The samples, with their given labels.</param>
/// <param name="ClassCount">Number of classes.</param>
/// <param name="Folds">The fold of each sample, in [0, <paramref name="FoldCount"/>); see <see cref="StratifiedFolds"/>.</param>
/// <param name="FoldCount">Number of folds.</param>
/// <param name="Seed">Seeds whatever the model draws at random.</param>
/// <param name="Embeddings">The samples' embeddings when the analysis computed them, else null.</param>
public sealed record OutOfFoldRequest(IReadOnlyList<Sample> Samples, int ClassCount, int[] Folds, int FoldCount, int Seed, float[][]? Embeddings)
{
    /// <summary>The given labels.</summary>
    public int[] Labels => Samples.Select(s => s.Label).ToArray();
}
