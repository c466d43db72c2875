using Maas.Core.Pipelines;

namespace Maas.Workflows.Models;

/// <summary>What <see cref="ModelBundle.WriteAsync"/> writes.</summary>
/// <param name="Onnx">The ONNX graph (<c>model.onnx</c>).</param>
/// <param name="Pipeline">The pipeline that turns an image into the model's input (<c>pipeline.json</c>).</param>
/// <param name="Labels">Class names in output order (<c>labels.json</c>).</param>
/// <param name="Metadata">Where the model came from (<c>metadata.json</c>).</param>
public sealed record ModelBundleContents(ReadOnlyMemory<byte> Onnx, PipelineSpec Pipeline, IReadOnlyList<string> Labels, ModelBundleMetadata Metadata)
{
    /// <summary>Further named files the bundle carries (a monitoring reference, say), listed and verified like the others.</summary>
    public IReadOnlyDictionary<string, ReadOnlyMemory<byte>> Files { get; init; } = new Dictionary<string, ReadOnlyMemory<byte>>();
}
