using Maas.Core;
using Maas.Core.Errors;
using Maas.Core.Security;
using Maas.Server.Deployments;
using Maas.Server.Hosting;
using Maas.Server.Metrics;
using Maas.Server.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Maas.Server.Apis.MaasV1;

/// <summary>The Maas v1 prediction endpoint.</summary>
public static class PredictionApi
{
    /// <summary>Maps <c>POST /v1/models/{model}[@{version|alias}]:predict</c>.</summary>
    public static IEndpointRouteBuilder MapPredictionApi(this IEndpointRouteBuilder routes)
    {
        routes.MapPost("/v1/models/{target}", PredictAsync)
            .WithName("Predict")
            .WithSummary("Classifies one image sent as the raw request body, or several sent as multipart/form-data parts or as JSON {\"images\": [base64, ...], \"top_k\": k}; answers with the top classes, one result per image for multipart and JSON.")
            .RequireApiKey(ApiKeyScope.Predict);
        return routes;
    }

    /// <summary>
    /// Reads the images (raw body, multipart or JSON), classifies them together in one trip through the deployment's
    /// batch scheduler, and returns their top classes: the single-image shape for a raw body, one result per image
    /// otherwise.
    /// </summary>
    public static async Task<Results<Ok<PredictionResponse>, Ok<BatchPredictionResponse>>> PredictAsync(string target, HttpContext context,
        ModelCatalog catalog, MaasServerOptions options, ServerMetrics metrics, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(metrics);
        const string Verb = ":predict";
        if (!target.EndsWith(Verb, StringComparison.Ordinal))
        {
            throw new NotFoundException($"'{context.Request.Path}' is not an endpoint: use POST /v1/models/{{model}}[@{{version|alias}}]:predict.");
        }

        var reference = VersionedName.Parse(target[..^Verb.Length], "model");
        context.TagPrediction("v1", reference.Name);
        using var lease = await catalog.AcquireAsync(reference, cancellationToken);
        var model = lease.Model;
        context.TagPrediction("v1", reference.Name, model.Version.Version);
        var input = await PredictionInputReader.ReadAsync(context, options, cancellationToken);
        context.TagImages(input.Images.Count);
        var results = await model.ClassifyAsync(input.Images, input.TopK ?? options.TopK, cancellationToken);
        metrics.Observe(model.Version, results);
        if (!input.IsBatch)
        {
            return TypedResults.Ok(new PredictionResponse(model.Version.Model, model.Version.Version, results[0].Top[0].Label, results[0].Top));
        }

        return TypedResults.Ok(new BatchPredictionResponse(model.Version.Model, model.Version.Version,
            results.Select(result => new ImagePrediction(result.Top[0].Label, result.Top)).ToList()));
    }

    /// <summary>Reads the whole body, refusing more than <paramref name="limit"/> bytes.</summary>
    internal static async Task<byte[]> ReadBodyAsync(HttpContext context, long limit, CancellationToken cancellationToken, bool allowEmpty = false)
    {
        if (context.Request.ContentLength > limit)
        {
            throw new BadHttpRequestException($"The body of {context.Request.ContentLength} bytes is over the limit of {limit} bytes.", 413);
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature)
        {
            feature.MaxRequestBodySize = limit;
        }

        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer, cancellationToken);
        return buffer.Length == 0 && !allowEmpty
            ? throw new InvalidInputException("request body: it is empty; send the image bytes as the body (curl --data-binary @image.png).")
            : buffer.ToArray();
    }
}
