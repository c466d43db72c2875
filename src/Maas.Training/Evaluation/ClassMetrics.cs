namespace Maas.Training.Evaluation;

/// <summary>How well a model does on one class. Precision or recall with nothing to divide by is 0, never NaN.</summary>
/// <param name="Name">The class name.</param>
/// <param name="Precision">Of the samples predicted as this class, the share that are.</param>
/// <param name="Recall">Of the samples of this class, the share predicted as it.</param>
/// <param name="F1">The harmonic mean of precision and recall.</param>
/// <param name="Support">Samples of this class in the evaluated data.</param>
public sealed record ClassMetrics(string Name, double Precision, double Recall, double F1, int Support);
