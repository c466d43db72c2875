using System.Diagnostics;
using Maas.Core;
using Maas.Core.Errors;
using Maas.Core.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Maas.Server;

/// <summary>The Maas v1 prediction endpoint.</summary>
public static class PredictionApi
{
    /// <summary>Maps <c>POST /v1/models/{model}[@{version|alias}]:predict</c>.</summary>
    public static IEndpointRouteBuilder MapPredictionApi(this IEndpointRouteBuilder routes)
    {
        routes.MapPost("/v1/models/{target}", PredictAsync)
            .WithName("Predict")
            .WithSummary("Classifies one image sent as the raw request body (PNG or JPEG); answers with the top classes.")
            .RequireApiKey(ApiKeyScope.Predict);
        return routes;
    }

    /// <summary>Reads the image, runs the version's pipeline and model, and returns the top classes.</summary>
    public static async Task<Ok<PredictionResponse>> PredictAsync(string target, HttpContext context, ModelCatalog catalog,
        MaasServerOptions options, ServerMetrics metrics, CancellationToken cancellationToken)
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
        var body = await ReadBodyAsync(context, options.MaxBodyBytes, cancellationToken);
        var scores = await ClassifyAsync(model, body, options.TopK, "request body", metrics, cancellationToken);
        return TypedResults.Ok(new PredictionResponse(model.Version.Model, model.Version.Version, scores[0].Label, scores));
    }

    /// <summary>
    /// Preprocesses one image, classifies it in a batch with other requests' images, times the preprocessing (the
    /// batch is timed by the scheduler's observer) and counts the predicted class.
    /// </summary>
    internal static async Task<IReadOnlyList<Inference.ClassScore>> ClassifyAsync(Inference.LoadedModel model, byte[] image, int topK, string source,
        ServerMetrics metrics, CancellationToken cancellationToken)
    {
        var version = model.Version.Version.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var clock = Stopwatch.StartNew();
        var tensor = model.Preprocess(image, source);
        metrics.Preprocessing.Observe(clock.Elapsed.TotalSeconds, model.Version.Model, version);
        var probabilities = await model.InferAsync(tensor, 1, cancellationToken);
        var scores = model.TopK(probabilities, topK);
        metrics.Predictions.Increment(model.Version.Model, version, scores[0].Label);
        return scores;
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
