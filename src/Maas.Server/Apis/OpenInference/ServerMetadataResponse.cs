
namespace Maas.Server.Apis.OpenInference;

/// <summary>The answer to <c>GET /v2</c>.</summary>
/// <param name="Name">Always <c>maas</c>.</param>
/// <param name="Version">The server's version.</param>
/// <param name="Extensions">The protocol extensions supported.</param>
public sealed record ServerMetadataResponse(string Name, string Version, IReadOnlyList<string> Extensions);
