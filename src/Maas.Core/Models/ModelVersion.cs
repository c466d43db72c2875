namespace Maas.Core.Models;

/// <summary>
/// An immutable, registered version of a model: the ONNX file, the pipeline it was trained with, its labels, and
/// its lineage.
/// </summary>
/// <param name="Model">The model name.</param>
/// <param name="Version">1, 2, ... in order of registration.</param>
/// <param name="RunId">The run that produced it, if any.</param>
/// <param name="Dataset">The dataset version it was trained on, e.g. <c>fashion@1</c>.</param>
/// <param name="ArtifactDir">Its folder under the artifact store, relative to it; holds <c>model.onnx</c>, <c>pipeline.json</c>, <c>labels.json</c>.</param>
/// <param name="Labels">Class names in output order.</param>
/// <param name="Metrics">Evaluation metrics at registration.</param>
/// <param name="CreatedAt">When it was registered.</param>
public sealed record ModelVersion(
    string Model,
    int Version,
    string? RunId,
    string? Dataset,
    string ArtifactDir,
    IReadOnlyList<string> Labels,
    IReadOnlyDictionary<string, double> Metrics,
    DateTimeOffset CreatedAt)
{
    /// <summary>The printable reference, e.g. <c>fashion-cnn@3</c>.</summary>
    public string Reference => $"{Model}@{Version}";

    /// <summary>The file name of the ONNX graph inside <see cref="ArtifactDir"/>.</summary>
    public const string OnnxFileName = "model.onnx";

    /// <summary>The file name of the pipeline spec inside <see cref="ArtifactDir"/>.</summary>
    public const string PipelineFileName = "pipeline.json";

    /// <summary>The file name of the label list inside <see cref="ArtifactDir"/>.</summary>
    public const string LabelsFileName = "labels.json";
}
