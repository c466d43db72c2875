
namespace Maas.Server.Deployments;

/// <summary>A second version that answers a share of a deployment's requests.</summary>
/// <param name="Version">The canary version number.</param>
/// <param name="Percent">The percentage of requests (0 to 100) it answers; the split is by a counter, so exact over every 100 requests.</param>
public sealed record CanarySplit(int Version, int Percent);
