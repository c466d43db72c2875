using System.Text.Json;
using System.Text.Json.Serialization;
using Maas.Core.Errors;

namespace Maas.Core.Pipelines;

/// <summary>
/// A declarative, versioned list of preprocessing ops. The spec a model was trained with is stored with the model
/// version, and the server runs it on uploaded images, so training and serving see the same tensors.
/// </summary>
/// <param name="Ops">The ops, in order; the first is always a <see cref="DecodeOp"/>.</param>
/// <param name="FormatVersion">The version of this document's format. The default is 1.</param>
public sealed record PipelineSpec(IReadOnlyList<PipelineOp> Ops, int FormatVersion = 1)
{
    /// <summary>The newest format version this build reads.</summary>
    public const int CurrentFormatVersion = 1;

    private static readonly JsonSerializerOptions s_json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    /// <summary>The decode op that starts the pipeline.</summary>
    public DecodeOp Decode => (DecodeOp)Ops[0];

    /// <summary>The number of channels of the tensor this pipeline produces.</summary>
    public int Channels => Decode.Color == ColorMode.Gray ? 1 : 3;

    /// <summary>Checks every op; the error names the op's index and the problem.</summary>
    /// <exception cref="InvalidInputException">The spec is not valid.</exception>
    public PipelineSpec Validate()
    {
        if (FormatVersion is < 1 or > CurrentFormatVersion)
        {
            throw new InvalidInputException($"pipeline format version {FormatVersion} is not supported (this build reads 1 to {CurrentFormatVersion}).");
        }

        if (Ops is null || Ops.Count == 0 || Ops[0] is not DecodeOp)
        {
            throw new InvalidInputException("pipeline op 0 must be 'decode'.");
        }

        for (var i = 0; i < Ops.Count; i++)
        {
            if (i > 0 && Ops[i] is DecodeOp)
            {
                throw new InvalidInputException($"pipeline op {i} (decode): only the first op may decode.");
            }

            if (Ops[i].Validate() is { } problem)
            {
                throw new InvalidInputException($"pipeline op {i} ({OpName(Ops[i])}): {problem}.");
            }

            if (Ops[i] is NormalizeOp n && n.Mean.Count != 1 && n.Mean.Count != Channels)
            {
                throw new InvalidInputException($"pipeline op {i} (normalize): {n.Mean.Count} mean values for a {Channels}-channel image.");
            }
        }

        return this;
    }

    /// <summary>The pipeline as indented JSON.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, s_json);

    /// <summary>Reads and validates a pipeline from JSON; <paramref name="source"/> names it in errors.</summary>
    /// <exception cref="InvalidInputException">The JSON is malformed or the spec is not valid.</exception>
    public static PipelineSpec FromJson(string json, string source = "pipeline")
    {
        try
        {
            var spec = JsonSerializer.Deserialize<PipelineSpec>(json, s_json)
                ?? throw new InvalidInputException($"{source}: the document is empty.");
            return spec.Validate();
        }
        catch (JsonException e)
        {
            throw new InvalidInputException($"{source}: {e.Message}", e);
        }
    }

    /// <summary>The default pipeline for a dataset of small images: decode, resize, normalize.</summary>
    public static PipelineSpec ForImages(ColorMode color, int width, int height, float mean = 0.5f, float std = 0.5f) =>
        new PipelineSpec([new DecodeOp(color), new ResizeOp(width, height), new NormalizeOp([mean], [std])]).Validate();

    private static string OpName(PipelineOp op) => op switch
    {
        DecodeOp => "decode",
        ResizeOp => "resize",
        NormalizeOp => "normalize",
        _ => op.GetType().Name,
    };
}
