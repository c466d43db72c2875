namespace Maas.Workflows.Preprocessing;

/// <summary>A written contact sheet.</summary>
/// <param name="Path">The full path of the PNG.</param>
/// <param name="Samples">The sample ids shown, one per row, top to bottom.</param>
/// <param name="Variants">Augmentations shown per image.</param>
public sealed record PreviewPipelineResult(string Path, IReadOnlyList<string> Samples, int Variants);
