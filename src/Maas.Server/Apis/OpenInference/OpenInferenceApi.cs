using System.Buffers.Binary;
using System.Globalization;
using System.Text.Json;
using Maas.Core;
using Maas.Core.Errors;
using Maas.Core.Security;
using Maas.Inference;
using Maas.Server.Apis.MaasV1;
using Maas.Server.Deployments;
using Maas.Server.Hosting;
using Maas.Server.Metrics;
using Maas.Server.Security;
using Maas.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Maas.Server.Apis.OpenInference;

/// <summary>
/// The KServe v2 / Open Inference Protocol over REST, with Triton's binary tensor extension: existing clients
/// (tritonclient, kserve) can call Maas models. Errors are <c>{"error": "..."}</c> with 400 for bad requests and
/// 404 for unknown models.
/// </summary>
public static class OpenInferenceApi
{
    /// <summary>The header that gives the JSON part's length when binary tensor data follows it.</summary>
    public const string HeaderLength = "Inference-Header-Content-Length";

    /// <summary>Maps the <c>/v2</c> routes.</summary>
    public static IEndpointRouteBuilder MapOpenInferenceApi(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/v2", () => TypedResults.Ok(new ServerMetadataResponse("maas", "1.0", ["binary_tensor_data"])))
            .WithName("V2ServerMetadata").WithSummary("The server's name, version and protocol extensions.");
        routes.MapGet("/v2/health/live", () => Results.Ok())
            .WithName("V2Live").WithSummary("200 while the process runs.");
        routes.MapGet("/v2/health/ready", (ModelCatalog catalog) => catalog.IsReady ? Results.Ok() : Results.StatusCode(503))
            .WithName("V2Ready").WithSummary("200 once the models registered at start-up are deployed, 503 before.");
        routes.MapGet("/v2/models/{model}", (string model, ModelCatalog catalog, MaasStores stores, CancellationToken ct) => MetadataAsync(model, null, catalog, stores, ct))
            .WithName("V2ModelMetadata").WithSummary("The model's versions, platform, inputs and outputs.").RequireApiKey(ApiKeyScope.Predict);
        routes.MapGet("/v2/models/{model}/versions/{version}", MetadataAsync)
            .WithName("V2ModelVersionMetadata").WithSummary("One version's platform, inputs and outputs.").RequireApiKey(ApiKeyScope.Predict);
        routes.MapGet("/v2/models/{model}/ready", (string model, ModelCatalog catalog, CancellationToken ct) => ReadyAsync(model, null, catalog, ct))
            .WithName("V2ModelReady").WithSummary("200 when the model is loaded and answers.").RequireApiKey(ApiKeyScope.Predict);
        routes.MapGet("/v2/models/{model}/versions/{version}/ready", ReadyAsync)
            .WithName("V2ModelVersionReady").WithSummary("200 when the version is loaded and answers.").RequireApiKey(ApiKeyScope.Predict);
        routes.MapPost("/v2/models/{model}/infer",
                (string model, HttpContext context, ModelCatalog catalog, MaasServerOptions options, ServerMetrics metrics, CancellationToken ct) =>
                    InferAsync(model, null, context, catalog, options, metrics, ct))
            .WithName("V2Infer").WithSummary("Runs the model on FP32 tensors or BYTES-encoded images (JSON or the binary tensor extension).")
            .RequireApiKey(ApiKeyScope.Predict);
        routes.MapPost("/v2/models/{model}/versions/{version}/infer", InferAsync)
            .WithName("V2VersionInfer").WithSummary("Runs one version on FP32 tensors or BYTES-encoded images.").RequireApiKey(ApiKeyScope.Predict);
        return routes;
    }

    /// <summary>The model's metadata: name, versions, platform, inputs and outputs with -1 for the batch.</summary>
    public static async Task<IResult> MetadataAsync(string model, string? version, ModelCatalog catalog, MaasStores stores, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(stores);
        using var lease = await catalog.AcquireAsync(Reference(model, version), cancellationToken);
        var loaded = lease.Model;
        var versions = (await stores.Models.ListVersionsAsync(cancellationToken))
            .Where(v => v.Model == loaded.Version.Model).Select(v => v.Version.ToString(CultureInfo.InvariantCulture)).ToList();
        var shape = loaded.InputShape;
        return TypedResults.Ok(new ModelMetadataResponse(loaded.Version.Model, versions, "onnxruntime_onnx",
            [new TensorMetadata(loaded.InputName, "FP32", [-1, shape.Channels, shape.Height, shape.Width])],
            [new TensorMetadata(loaded.OutputName, "FP32", [-1, loaded.ClassCount])]));
    }

    /// <summary>200 when the model (version) is loaded and answers; the status code alone tells.</summary>
    public static async Task<IResult> ReadyAsync(string model, string? version, ModelCatalog catalog, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        using var lease = await catalog.AcquireAsync(Reference(model, version), cancellationToken);
        return Results.Ok();
    }

    /// <summary>Runs an inference request and writes the response (JSON, or JSON then binary outputs).</summary>
    public static async Task InferAsync(string model, string? version, HttpContext context, ModelCatalog catalog, MaasServerOptions options,
        ServerMetrics metrics, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(metrics);
        var reference = Reference(model, version);
        context.TagPrediction("v2", reference.Name);
        // The model first, as Triton does: an unknown model is a 404 whatever the body holds.
        using var lease = await catalog.AcquireAsync(reference, cancellationToken);
        var loaded = lease.Model;
        context.TagPrediction("v2", reference.Name, loaded.Version.Version);
        var body = await PredictionApi.ReadBodyAsync(context, options.MaxBodyBytes, cancellationToken, allowEmpty: true);
        var jsonLength = body.Length;
        if (context.Request.Headers.TryGetValue(HeaderLength, out var header))
        {
            if (!int.TryParse(header.ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out jsonLength) || jsonLength > body.Length)
            {
                throw new InvalidInputException($"{HeaderLength} '{header}' is not a length within the {body.Length}-byte body.");
            }
        }

        var request = InferenceRequestReader.Read(body.AsSpan(0, jsonLength), body.AsSpan(jsonLength));
        if (request.Inputs.Count != 1 || request.Inputs[0].Name != loaded.InputName)
        {
            throw new InvalidInputException($"{loaded.Version.Reference} takes one input, '{loaded.InputName}'; the request has {string.Join(", ", request.Inputs.Select(i => $"'{i.Name}'"))}.");
        }

        var versionLabel = loaded.Version.Version.ToString(CultureInfo.InvariantCulture);
        var results = await ClassifyAsync(request.Inputs[0], loaded, context, cancellationToken);
        metrics.Observe(loaded.Version, results);
        var probabilities = new float[results.Count * loaded.ClassCount];
        for (var i = 0; i < results.Count; i++)
        {
            results[i].Probabilities.CopyTo(probabilities, i * loaded.ClassCount);
        }

        var outputs = request.Outputs.Count > 0 ? request.Outputs : [(loaded.OutputName, request.BinaryByDefault)];
        foreach (var (name, _) in outputs.Where(o => o.Name != loaded.OutputName))
        {
            throw new InvalidInputException($"{loaded.Version.Reference} has no output '{name}'; its output is '{loaded.OutputName}'.");
        }

        await WriteAsync(context, request.Id, loaded.Version.Model, versionLabel, outputs, probabilities, [results.Count, loaded.ClassCount], cancellationToken);
    }

    /// <summary>
    /// Classifies the input through the model's batching: BYTES elements as encoded images, an FP32 tensor as
    /// preprocessed ones. Every malformed input is a 400, as Triton answers.
    /// </summary>
    private static async Task<IReadOnlyList<ImageClassification>> ClassifyAsync(InferenceInput input, LoadedModel model, HttpContext context,
        CancellationToken cancellationToken)
    {
        var shape = model.InputShape;
        if (input.Datatype == "BYTES")
        {
            if (input.Shape.Count is < 1 or > 2 || (input.Shape.Count == 2 && input.Shape[1] != 1))
            {
                throw new InvalidInputException($"input '{input.Name}': a BYTES batch of images has shape [N] or [N,1], not [{string.Join(',', input.Shape)}].");
            }

            var elements = input.Elements.Count > 0 ? input.Elements : throw new InvalidInputException($"input '{input.Name}': the batch is empty.");
            var images = new List<EncodedImage>(elements.Count);
            for (var i = 0; i < elements.Count; i++)
            {
                images.Add(IsPngOrJpeg(elements[i])
                    ? new EncodedImage(elements[i], $"input '{input.Name}' element {i}")
                    : throw new InvalidInputException($"input '{input.Name}': element {i} is neither a PNG nor a JPEG image."));
            }

            context.TagImages(images.Count);
            try
            {
                return await model.ClassifyAsync(images, 1, cancellationToken);
            }
            catch (UnsupportedImageException e)
            {
                throw new InvalidInputException(e.Message, e);
            }
        }

        if (input.Shape.Count != 4 || input.Shape[1] != shape.Channels || input.Shape[2] != shape.Height || input.Shape[3] != shape.Width)
        {
            throw new InvalidInputException($"input '{input.Name}': shape [{string.Join(',', input.Shape)}] does not match the model's [-1,{shape.Channels},{shape.Height},{shape.Width}].");
        }

        if (input.Shape[0] <= 0)
        {
            throw new InvalidInputException($"input '{input.Name}': the batch is empty.");
        }

        context.TagImages((int)input.Shape[0]);
        return await model.ClassifyTensorsAsync(input.Numbers, (int)input.Shape[0], 1, cancellationToken);
    }

    private static bool IsPngOrJpeg(byte[] bytes) =>
        bytes.AsSpan().StartsWith((ReadOnlySpan<byte>)[0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        || bytes.AsSpan().StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF]);

    private static async Task WriteAsync(HttpContext context, string? id, string model, string version,
        IReadOnlyList<(string Name, bool Binary)> outputs, float[] data, long[] shape, CancellationToken cancellationToken)
    {
        using var json = new MemoryStream();
        using (var writer = new Utf8JsonWriter(json))
        {
            writer.WriteStartObject();
            writer.WriteString("model_name", model);
            writer.WriteString("model_version", version);
            if (id is not null)
            {
                writer.WriteString("id", id);
            }

            writer.WriteStartArray("outputs");
            foreach (var (name, binary) in outputs)
            {
                writer.WriteStartObject();
                writer.WriteString("name", name);
                writer.WriteString("datatype", "FP32");
                writer.WriteStartArray("shape");
                foreach (var dim in shape)
                {
                    writer.WriteNumberValue(dim);
                }

                writer.WriteEndArray();
                if (binary)
                {
                    writer.WriteStartObject("parameters");
                    writer.WriteNumber("binary_data_size", data.Length * sizeof(float));
                    writer.WriteEndObject();
                }
                else
                {
                    writer.WriteStartArray("data");
                    foreach (var value in data)
                    {
                        writer.WriteNumberValue(value);
                    }

                    writer.WriteEndArray();
                }

                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        var binaryOutputs = outputs.Count(o => o.Binary);
        if (binaryOutputs > 0)
        {
            context.Response.Headers[HeaderLength] = json.Length.ToString(CultureInfo.InvariantCulture);
            context.Response.ContentType = "application/octet-stream";
            var bytes = new byte[data.Length * sizeof(float)];
            for (var i = 0; i < data.Length; i++)
            {
                BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * sizeof(float)), data[i]);
            }

            for (var i = 0; i < binaryOutputs; i++)
            {
                json.Write(bytes);
            }
        }
        else
        {
            context.Response.ContentType = "application/json";
        }

        context.Response.ContentLength = json.Length;
        await context.Response.Body.WriteAsync(json.GetBuffer().AsMemory(0, (int)json.Length), cancellationToken);
    }

    private static VersionedName Reference(string model, string? version) =>
        VersionedName.Parse(version is null ? model : $"{model}@{version}", "model");
}
