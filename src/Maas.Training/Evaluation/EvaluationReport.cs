namespace Maas.Training.Evaluation;

/// <summary>How well a model classifies a set of labelled samples.</summary>
/// <param name="SampleCount">Samples evaluated.</param>
/// <param name="Accuracy">Share of samples whose predicted class is their label.</param>
/// <param name="Loss">Mean cross-entropy of the model's logits; null when the report was scored from bare predictions.</param>
/// <param name="Classes">Per-class precision, recall and F1, in class-index order.</param>
/// <param name="ConfusionMatrix">Counts indexed [true class][predicted class].</param>
public sealed record EvaluationReport(
    int SampleCount,
    double Accuracy,
    double? Loss,
    IReadOnlyList<ClassMetrics> Classes,
    int[][] ConfusionMatrix)
{
    /// <summary>The unweighted mean of the per-class F1 scores.</summary>
    public double MacroF1 => Classes.Count == 0 ? 0 : Classes.Average(c => c.F1);

    /// <summary>The unweighted mean of the per-class precisions.</summary>
    public double MacroPrecision => Classes.Count == 0 ? 0 : Classes.Average(c => c.Precision);

    /// <summary>The unweighted mean of the per-class recalls.</summary>
    public double MacroRecall => Classes.Count == 0 ? 0 : Classes.Average(c => c.Recall);

    /// <summary>The per-class precisions weighted by each class's support.</summary>
    public double WeightedPrecision => Weighted(c => c.Precision);

    /// <summary>The per-class recalls weighted by each class's support (equal to the accuracy).</summary>
    public double WeightedRecall => Weighted(c => c.Recall);

    /// <summary>The per-class F1 scores weighted by each class's support.</summary>
    public double WeightedF1 => Weighted(c => c.F1);

    private double Weighted(Func<ClassMetrics, double> metric)
    {
        long total = Classes.Sum(c => (long)c.Support);
        return total == 0 ? 0 : Classes.Sum(c => metric(c) * c.Support) / total;
    }
}
