
namespace Maas.Server.Apis.MaasV1;

/// <summary>The answer to a prediction request sent as multipart or JSON: one result per image, in request order.</summary>
/// <param name="Model">The model name.</param>
/// <param name="Version">The version that answered every image of the request.</param>
/// <param name="Predictions">One result per image.</param>
public sealed record BatchPredictionResponse(string Model, int Version, IReadOnlyList<ImagePrediction> Predictions);
