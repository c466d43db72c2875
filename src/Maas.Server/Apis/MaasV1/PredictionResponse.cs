using Maas.Inference;

namespace Maas.Server.Apis.MaasV1;

/// <summary>The answer to a prediction request.</summary>
/// <param name="Model">The model name.</param>
/// <param name="Version">The version that answered.</param>
/// <param name="Label">The most probable class.</param>
/// <param name="Predictions">The top classes, most probable first.</param>
public sealed record PredictionResponse(string Model, int Version, string Label, IReadOnlyList<ClassScore> Predictions);
