
namespace Maas.Server.Apis.OpenInference;

/// <summary>One input tensor of an inference request, decoded from JSON or from the binary extension.</summary>
/// <param name="Name">The input name.</param>
/// <param name="Datatype">The protocol datatype: FP32, FP64 or BYTES.</param>
/// <param name="Shape">The shape as sent.</param>
/// <param name="Numbers">The elements of a numeric tensor, in row-major order; empty for BYTES.</param>
/// <param name="Elements">The elements of a BYTES tensor; empty for numeric ones.</param>
public sealed record InferenceInput(string Name, string Datatype, IReadOnlyList<long> Shape, float[] Numbers, IReadOnlyList<byte[]> Elements);
