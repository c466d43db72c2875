
namespace Maas.Server.Apis.Management;

/// <summary>The body of <c>POST /v1/deployments/{model}/scale</c>.</summary>
/// <param name="Instances">ONNX Runtime sessions to serve the deployment with, each with its own batching worker.</param>
public sealed record ScaleRequest(int Instances);
