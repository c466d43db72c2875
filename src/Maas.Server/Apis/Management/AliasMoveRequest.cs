
namespace Maas.Server.Apis.Management;

/// <summary>The body of <c>POST /v1/models/{model}/aliases/{alias}</c>.</summary>
/// <param name="Version">The version the alias should point at.</param>
/// <param name="Reason">Why; kept in the alias history.</param>
public sealed record AliasMoveRequest(int Version, string Reason);
