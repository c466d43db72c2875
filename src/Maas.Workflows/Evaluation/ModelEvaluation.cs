using Maas.Training.Evaluation;

namespace Maas.Workflows.Evaluation;

/// <summary>A model's scores on one dataset split.</summary>
/// <param name="Model">The model version evaluated, MODEL@VERSION.</param>
/// <param name="Dataset">The dataset version, NAME@VERSION.</param>
/// <param name="Split">The split's name.</param>
/// <param name="Labels">The model's class names in its output order; the confusion matrix's rows and columns.</param>
/// <param name="Scores">Accuracy, top-k, per-class metrics, confusion matrix and calibration bins.</param>
/// <param name="Calibration">Temperature scaling fitted on the validation split, when asked for.</param>
public sealed record ModelEvaluation(string Model, string Dataset, string Split, IReadOnlyList<string> Labels, ProbabilityReport Scores, CalibrationReport? Calibration);
