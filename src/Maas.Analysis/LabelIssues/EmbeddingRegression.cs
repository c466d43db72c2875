using System.Globalization;
using Maas.Analysis.Embeddings;

namespace Maas.Analysis.LabelIssues;

/// <summary>
/// Out-of-fold probabilities from a softmax regression on the analysis's ResNet-18 embeddings: the analysis's own
/// classifier, used when no trainer is wired in. Quick, but ImageNet features of small gray images separate
/// look-alike classes poorly, so its confident learning flags many correct labels too; a CNN trained on the images
/// (<c>Maas.Workflows.CrossValidation.KFoldTrainer</c>) does much better.
/// </summary>
/// <param name="l2">The L2 penalty of the regression.</param>
/// <param name="iterations">Gradient-descent iterations per fold.</param>
/// <param name="parallelism">Worker threads.</param>
public sealed class EmbeddingRegression(double l2, int iterations, int parallelism) : IOutOfFoldClassifier
{
    /// <summary>The <see cref="AnalysisOptions.LabelModel"/> that selects this classifier.</summary>
    public const string ModelName = "embedding-regression";

    /// <inheritdoc />
    public string Name => ModelName;

    /// <inheritdoc />
    public Task<OutOfFoldPredictions> PredictAsync(OutOfFoldRequest request, IProgress<AnalysisProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var embeddings = request.Embeddings ?? throw new InvalidOperationException("The embedding regression needs the embeddings.");
        var labels = request.Labels;
        var n = embeddings.Length;
        var result = new float[n][];
        for (var f = 0; f < request.FoldCount; f++)
        {
            var train = Enumerable.Range(0, n).Where(i => request.Folds[i] != f).ToArray();
            var test = Enumerable.Range(0, n).Where(i => request.Folds[i] == f).ToArray();
            if (test.Length > 0)
            {
                var scaling = FeatureScaling.Fit(train.Select(i => embeddings[i]).ToArray());
                var model = SoftmaxRegression.Train(train.Select(i => scaling.Apply(embeddings[i])).ToArray(), train.Select(i => labels[i]).ToArray(),
                    request.ClassCount, l2, iterations, parallelism, cancellationToken);
                foreach (var i in test)
                {
                    result[i] = model.Predict(scaling.Apply(embeddings[i]));
                }
            }

            progress?.Report(new AnalysisProgress("cross-validating", f + 1, request.FoldCount));
        }

        return Task.FromResult(new OutOfFoldPredictions(result, string.Create(CultureInfo.InvariantCulture,
            $"softmax regression on ResNet-18 embeddings (L2 {l2}, {iterations} iterations), {request.FoldCount} folds")));
    }
}
