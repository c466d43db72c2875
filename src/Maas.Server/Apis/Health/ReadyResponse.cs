
namespace Maas.Server.Apis.Health;

/// <summary>The readiness answer.</summary>
/// <param name="Status">Always <c>ready</c>.</param>
/// <param name="Models">The loaded versions, e.g. <c>fashion-cnn@1</c>.</param>
/// <param name="Failed">Versions that could not be loaded, with the reason; the others still serve.</param>
public sealed record ReadyResponse(string Status, IReadOnlyList<string> Models, IReadOnlyDictionary<string, string> Failed);
