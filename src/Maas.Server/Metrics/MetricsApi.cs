using System.Globalization;
using Maas.Server.Deployments;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Maas.Server.Metrics;

/// <summary>The Prometheus endpoint and the request counting behind it.</summary>
public static class MetricsApi
{
    private const string TagItem = "maas.metrics-tag";

    /// <summary>Maps <c>GET /metrics</c>.</summary>
    public static IEndpointRouteBuilder MapMetricsApi(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/metrics", Scrape)
            .WithName("Metrics").WithSummary("Request counts, latency histograms, predictions by class and loaded models, in the Prometheus text format.");
        return routes;
    }

    /// <summary>The exposition text.</summary>
    public static IResult Scrape(ServerMetrics metrics, ModelCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        return Results.Text(metrics.Render(catalog), "text/plain; version=0.0.4; charset=utf-8");
    }

    /// <summary>
    /// Counts each prediction request by the model and version it was tagged with, and the status it finally got
    /// (so it must run outside the error mapping, which sets the status of failed requests).
    /// </summary>
    public static IApplicationBuilder UseRequestMetrics(this IApplicationBuilder app) =>
        app.Use(async (context, next) =>
        {
            try
            {
                await next(context);
            }
            finally
            {
                if (context.Items[TagItem] is string[] tag)
                {
                    var metrics = (ServerMetrics)context.RequestServices.GetService(typeof(ServerMetrics))!;
                    metrics.Requests.Increment(tag[0], tag[1], tag[2], context.Response.StatusCode.ToString(CultureInfo.InvariantCulture));
                }
            }
        });

    /// <summary>Marks the request as a prediction for <paramref name="model"/>; the version is added once resolved.</summary>
    public static void TagPrediction(this HttpContext context, string api, string model, int? version = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Items[TagItem] = new[] { api, model, version?.ToString(CultureInfo.InvariantCulture) ?? "" };
    }

    /// <summary>The model and version the request was tagged with by <see cref="TagPrediction"/>; nulls when it was not.</summary>
    internal static (string? Model, int? Version) PredictionTarget(this HttpContext context) =>
        context.Items[TagItem] is string[] tag
            ? (tag[1], int.TryParse(tag[2], NumberStyles.None, CultureInfo.InvariantCulture, out var version) ? version : null)
            : (null, null);
}
