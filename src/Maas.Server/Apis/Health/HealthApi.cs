using Maas.Server.Deployments;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Maas.Server.Apis.Health;

/// <summary>Liveness and readiness probes.</summary>
public static class HealthApi
{
    /// <summary>Maps <c>GET /health/live</c> and <c>GET /health/ready</c>.</summary>
    public static IEndpointRouteBuilder MapHealthApi(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/health/live", () => TypedResults.Ok(new { status = "live" }))
            .WithName("Live").WithSummary("200 while the process runs.");
        routes.MapGet("/health/ready", Ready)
            .WithName("Ready").WithSummary("200 once every registered model has loaded, 503 before.");
        return routes;
    }

    /// <summary>Readiness: the status code alone answers.</summary>
    public static Results<Ok<ReadyResponse>, ProblemHttpResult> Ready(ModelCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return catalog.IsReady
            ? TypedResults.Ok(new ReadyResponse("ready", catalog.Loaded.Select(v => v.Reference).Order(StringComparer.Ordinal).ToArray(), catalog.Failed))
            : TypedResults.Problem("Models are still loading.", statusCode: 503, title: "Service unavailable");
    }
}
