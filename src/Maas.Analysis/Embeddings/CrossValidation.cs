namespace Maas.Analysis.Embeddings;

/// <summary>Out-of-fold class probabilities from stratified K-fold cross-validation of a softmax regression.</summary>
public static class CrossValidation
{
    /// <summary>
    /// Splits the samples into <paramref name="folds"/> folds, each class spread evenly over them (shuffled with
    /// <paramref name="seed"/>), trains on all folds but one and predicts the one left out, so every sample's
    /// probabilities come from a model that never saw it.
    /// </summary>
    public static float[][] OutOfFoldProbabilities(IReadOnlyList<float[]> embeddings, IReadOnlyList<int> labels, int classes, int folds,
        double l2, int iterations, int seed, int parallelism, IProgress<int>? foldsDone, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(embeddings);
        ArgumentNullException.ThrowIfNull(labels);
        var n = embeddings.Count;
        var fold = new int[n];
        var random = new Random(seed);
        foreach (var members in Enumerable.Range(0, n).GroupBy(i => labels[i]))
        {
            var shuffled = members.ToArray();
            random.Shuffle(shuffled);
            for (var p = 0; p < shuffled.Length; p++)
            {
                fold[shuffled[p]] = p % folds;
            }
        }

        var result = new float[n][];
        for (var f = 0; f < folds; f++)
        {
            var train = Enumerable.Range(0, n).Where(i => fold[i] != f).ToArray();
            var test = Enumerable.Range(0, n).Where(i => fold[i] == f).ToArray();
            if (test.Length == 0)
            {
                continue;
            }

            var scaling = FeatureScaling.Fit(train.Select(i => embeddings[i]).ToArray());
            var model = SoftmaxRegression.Train(train.Select(i => scaling.Apply(embeddings[i])).ToArray(), train.Select(i => labels[i]).ToArray(),
                classes, l2, iterations, parallelism, cancellationToken);
            foreach (var i in test)
            {
                result[i] = model.Predict(scaling.Apply(embeddings[i]));
            }

            foldsDone?.Report(f + 1);
        }

        return result;
    }
}
