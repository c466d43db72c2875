namespace Maas.Workflows.Models;

/// <summary>Where a model version came from (<c>metadata.json</c> in its <see cref="ModelBundle"/>).</summary>
/// <param name="Source">How it was made: <see cref="Trained"/> by Maas or <see cref="External"/>, registered from files made elsewhere.</param>
/// <param name="RunId">The run that trained it, if any.</param>
/// <param name="Dataset">The dataset version it was trained on, if known.</param>
/// <param name="InputShape">The per-image input tensor, channels, height and width.</param>
/// <param name="Metrics">Evaluation metrics when it was written.</param>
/// <param name="CreatedAt">When the bundle was written.</param>
public sealed record ModelBundleMetadata(string Source, string? RunId, string? Dataset, IReadOnlyList<int> InputShape,
    IReadOnlyDictionary<string, double> Metrics, DateTimeOffset CreatedAt)
{
    /// <summary>The <see cref="Source"/> of a model Maas trained.</summary>
    public const string Trained = "trained";

    /// <summary>The <see cref="Source"/> of a model registered from an ONNX file made elsewhere.</summary>
    public const string External = "external";
}
