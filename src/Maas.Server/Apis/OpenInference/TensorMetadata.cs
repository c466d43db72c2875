
namespace Maas.Server.Apis.OpenInference;

/// <summary>One input or output as the Open Inference Protocol describes it.</summary>
/// <param name="Name">The tensor name in the ONNX graph.</param>
/// <param name="Datatype">The protocol's datatype name, e.g. <c>FP32</c>.</param>
/// <param name="Shape">The shape, -1 for the dynamic batch dimension.</param>
public sealed record TensorMetadata(string Name, string Datatype, IReadOnlyList<long> Shape);
