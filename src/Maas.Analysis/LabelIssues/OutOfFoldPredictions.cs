namespace Maas.Analysis.LabelIssues;

/// <summary>Out-of-fold class probabilities and how they were made.</summary>
/// <param name="Probabilities">Per sample, one probability per class, from the model of the fold that left it out.</param>
/// <param name="Description">The model and its settings, for the report (e.g. <c>small-cnn, 5 folds, 3 epochs each</c>).</param>
public sealed record OutOfFoldPredictions(float[][] Probabilities, string Description);
