
namespace Maas.Server.Apis.OpenInference;

/// <summary>The answer to <c>GET /v2/models/{model}</c>.</summary>
/// <param name="Name">The model name.</param>
/// <param name="Versions">The registered versions, as strings as the protocol wants them.</param>
/// <param name="Platform">Always <c>onnxruntime_onnx</c>.</param>
/// <param name="Inputs">The graph's inputs (a BYTES tensor of encoded images is accepted for the image input as well).</param>
/// <param name="Outputs">The graph's outputs.</param>
public sealed record ModelMetadataResponse(string Name, IReadOnlyList<string> Versions, string Platform,
    IReadOnlyList<TensorMetadata> Inputs, IReadOnlyList<TensorMetadata> Outputs);
