using Maas.Analysis.Statistics;

namespace Maas.Analysis.Reports;

/// <summary>How properties, labels, classes and splits relate.</summary>
/// <param name="PropertyNames">The properties, in the order of the matrix rows.</param>
/// <param name="Correlation">The Pearson correlation matrix between the properties.</param>
/// <param name="LabelAssociation">Each property's association with the label.</param>
/// <param name="ClassSimilarity">Cosine similarity between class centroids of the embeddings, in class order; null without embeddings.</param>
/// <param name="ShiftSplit">The split compared with train (<c>test</c>, or <c>validation</c> without a test split); null when there is none.</param>
/// <param name="Shift">Per property, train against <paramref name="ShiftSplit"/>.</param>
/// <param name="EmbeddingShift">The MMD test between train and <paramref name="ShiftSplit"/> embeddings; null without embeddings or a split to compare.</param>
public sealed record Relations(
    IReadOnlyList<string> PropertyNames,
    double[][] Correlation,
    IReadOnlyList<PropertyAssociation> LabelAssociation,
    double[][]? ClassSimilarity,
    string? ShiftSplit,
    IReadOnlyList<PropertyShift> Shift,
    MmdResult? EmbeddingShift);
