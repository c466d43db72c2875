using Maas.Inference;

namespace Maas.Server.Apis.MaasV1;

/// <summary>The answer for one image of a multi-image prediction request.</summary>
/// <param name="Label">The most probable class.</param>
/// <param name="Top">The top classes, most probable first.</param>
public sealed record ImagePrediction(string Label, IReadOnlyList<ClassScore> Top);
