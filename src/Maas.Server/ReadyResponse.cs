namespace Maas.Server;

/// <summary>The readiness answer.</summary>
/// <param name="Status">Always <c>ready</c>.</param>
/// <param name="Models">The loaded versions, e.g. <c>fashion-cnn@1</c>.</param>
public sealed record ReadyResponse(string Status, IReadOnlyList<string> Models);
