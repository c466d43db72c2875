using Maas.Inference;

namespace Maas.Server.Apis.MaasV1;

/// <summary>What a v1 prediction request asks to classify.</summary>
/// <param name="Images">The images, in request order.</param>
/// <param name="TopK">How many classes to list per image, when the request says; otherwise the server's default.</param>
/// <param name="IsBatch">Whether the answer lists one result per image (multipart and JSON) rather than the single raw-body shape.</param>
public sealed record PredictionInput(IReadOnlyList<EncodedImage> Images, int? TopK, bool IsBatch);
