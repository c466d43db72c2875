namespace Maas.Analysis.LabelIssues;

/// <summary>
/// Gives every sample class probabilities from a model that never saw it: K-fold cross-validation, each fold
/// predicted by a model fitted on the others. Confident learning needs exactly this; probabilities of a model that
/// trained on a sample would simply repeat its label, right or wrong.
/// </summary>
/// <remarks>
/// The analysis defines this port and the trainer implements it (<c>Maas.Workflows.CrossValidation.KFoldTrainer</c>),
/// so that analysis does not depend on training; the CLI wires the two together. <see cref="EmbeddingRegression"/>
/// is the analysis's own implementation, used when no trainer is given.
/// </remarks>
public interface IOutOfFoldClassifier
{
    /// <summary>The model family, recorded in the analysis options so that a cached report is reused only for the same one (e.g. <c>small-cnn</c>).</summary>
    string Name { get; }

    /// <summary>Fits one model per fold and predicts the samples of that fold.</summary>
    /// <param name="request">The samples, their folds and what else the model may use.</param>
    /// <param name="progress">Told as folds finish, or null.</param>
    /// <param name="cancellationToken">Stops the fitting.</param>
    /// <returns>The probabilities, and a description of how they were made.</returns>
    Task<OutOfFoldPredictions> PredictAsync(OutOfFoldRequest request, IProgress<AnalysisProgress>? progress, CancellationToken cancellationToken);
}
