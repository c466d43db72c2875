namespace Maas.Analysis.LabelIssues;

/// <summary>Stratified fold assignment: each class's samples are shuffled and dealt round-robin over the folds.</summary>
public static class StratifiedFolds
{
    /// <summary>
    /// The fold of each sample: the samples of every class shuffled with <paramref name="seed"/> and dealt out in turn,
    /// so each fold holds about 1/<paramref name="folds"/> of every class and each class is learnt from in every fold.
    /// </summary>
    public static int[] Assign(IReadOnlyList<int> labels, int folds, int seed)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentOutOfRangeException.ThrowIfLessThan(folds, 2);
        var fold = new int[labels.Count];
        var random = new Random(seed);
        foreach (var members in Enumerable.Range(0, labels.Count).GroupBy(i => labels[i]).OrderBy(g => g.Key))
        {
            var shuffled = members.ToArray();
            random.Shuffle(shuffled);
            for (var p = 0; p < shuffled.Length; p++)
            {
                fold[shuffled[p]] = p % folds;
            }
        }

        return fold;
    }
}
