using System.Text.Json;
using System.Text.Json.Serialization;
using Maas.Core.Errors;

namespace Maas.Core.Pipelines;

/// <summary>
/// A declarative, versioned list of preprocessing ops. The spec a model was trained with is stored with the model
/// version, and the server runs it on uploaded images, so training and serving see the same tensors.
/// </summary>
/// <remarks>
/// Random ops (<see cref="PipelineOp.IsRandom"/>) are training-only by rule: <see cref="ForEvaluation"/> replaces each by
/// its deterministic counterpart, and that is what evaluation and serving run. The output size must be fixed by the
/// spec itself (a resize to width and height, a centre crop or a random resized crop), so that every image of a batch,
/// in training and in serving, has one shape.
/// </remarks>
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
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    /// <summary>The decode op that starts the pipeline.</summary>
    [JsonIgnore]
    public DecodeOp Decode => (DecodeOp)Ops[0];

    /// <summary>
    /// The resize a draft decode may decode a JPEG for (see <see cref="DecodeOp.Draft"/>): op 1 when the decode asks for
    /// draft and op 1 is a resize; otherwise null, and every image is decoded in full. Op 1 is in both modes and in the
    /// deterministic prefix, so the choice is the same in training, evaluation and the shard cache.
    /// </summary>
    [JsonIgnore]
    public ResizeOp? DraftResize => Decode.Draft && Ops.Count > 1 ? Ops[1] as ResizeOp : null;

    /// <summary>The number of channels of the tensor this pipeline produces.</summary>
    [JsonIgnore]
    public int Channels => Ops.Aggregate(0, (channels, op) => op.ChannelsAfter(channels));

    /// <summary>The width and height of the tensor this pipeline produces, or null for a spec that does not fix them.</summary>
    [JsonIgnore]
    public ImageSize? OutputSize => Ops.Aggregate((ImageSize?)null, (size, op) => op.SizeAfter(size));

    /// <summary>The element type of the tensor: the <see cref="ToTensorOp"/>'s, float32 when there is none.</summary>
    [JsonIgnore]
    public TensorDType OutputDType => Ops.OfType<ToTensorOp>().Select(t => t.Dtype).FirstOrDefault(TensorDType.Float32);

    /// <summary>True while a normalize op still says "auto" (see <see cref="ResolveNormalization"/>).</summary>
    [JsonIgnore]
    public bool HasAutoNormalization => Ops.Any(op => op is NormalizeOp { IsAuto: true });

    /// <summary>True when some op is a random augmentation.</summary>
    [JsonIgnore]
    public bool HasRandomOps => Ops.Any(op => op.IsRandom);

    /// <summary>
    /// How many leading ops are deterministic pixel ops: everything before the first random op and before the first
    /// <see cref="NormalizeOp"/> or <see cref="ToTensorOp"/>. Their output is an 8-bit image that is the same in every
    /// epoch and in both modes (the ops of the prefix are their own evaluation counterparts), so a shard cache can store
    /// it once and run only the rest.
    /// </summary>
    [JsonIgnore]
    public int DeterministicPrefixLength
    {
        get
        {
            var n = 0;
            while (n < Ops.Count && !Ops[n].IsRandom && Ops[n] is not (NormalizeOp or ToTensorOp))
            {
                n++;
            }

            return n;
        }
    }

    /// <summary>The ops of the deterministic prefix (see <see cref="DeterministicPrefixLength"/>); always starts with decode.</summary>
    [JsonIgnore]
    public IReadOnlyList<PipelineOp> DeterministicPrefix => Ops.Take(DeterministicPrefixLength).ToArray();

    /// <summary>Checks every op; the error names the op's index, its name and the problem.</summary>
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

        var channels = 0;
        ImageSize? size = null;
        var sizeLostAt = 0;
        ToTensorOp? toTensor = null;
        NormalizeOp? normalize = null;
        for (var i = 0; i < Ops.Count; i++)
        {
            var op = Ops[i] ?? throw new InvalidInputException($"pipeline op {i} is empty.");
            if ((op.Validate() ?? ProblemInContext(op, i, channels, toTensor, normalize)) is { } problem)
            {
                throw new InvalidInputException($"pipeline op {i} ({op.Name}): {problem}.");
            }

            toTensor ??= op as ToTensorOp;
            normalize ??= op as NormalizeOp;
            channels = op.ChannelsAfter(channels);
            size = op.SizeAfter(size);
            sizeLostAt = size is null && op is DecodeOp or ResizeOp { ShorterSide: > 0 } or RotateOp { Expand: true } ? i : sizeLostAt;
        }

        if (size is null)
        {
            var culprit = Ops[sizeLostAt];
            var why = culprit switch
            {
                DecodeOp => "every image keeps its own size",
                ResizeOp => "a shorter_side resize keeps each image's aspect ratio",
                RotateOp => "a random rotation with expand changes the size with each angle",
                _ => "its size depends on the image",
            };
            throw new InvalidInputException(
                $"pipeline: the output size is not fixed: after op {sizeLostAt} ({culprit.Name}) {why}; add a resize with width and height, a center_crop or a random_resized_crop after it so every tensor has one shape.");
        }

        return this;
    }

    /// <summary>
    /// The spec evaluation and serving run: every op replaced by its <see cref="PipelineOp.EvaluationCounterpart"/>
    /// (a random resized crop becomes a shorter-side resize and a centre crop; flips, jitter, erasing and random
    /// rotations are dropped; a fixed rotation stays).
    /// </summary>
    public PipelineSpec ForEvaluation() =>
        HasRandomOps ? new PipelineSpec(Ops.SelectMany(op => op.EvaluationCounterpart()).ToArray(), FormatVersion) : this;

    /// <summary>
    /// Replaces every <c>"auto"</c> normalize with the given statistics, normally the per-channel mean and standard
    /// deviation of the training split's pixels on a [0, 1] scale, and validates the result.
    /// </summary>
    /// <param name="mean">One value per channel of the image at the normalize op, or one for all.</param>
    /// <param name="std">As many positive values as <paramref name="mean"/>.</param>
    /// <returns>A spec with concrete statistics; this spec when it has no "auto".</returns>
    /// <exception cref="InvalidInputException">The statistics do not fit the image or are not valid.</exception>
    public PipelineSpec ResolveNormalization(IReadOnlyList<float> mean, IReadOnlyList<float> std)
    {
        ArgumentNullException.ThrowIfNull(mean);
        ArgumentNullException.ThrowIfNull(std);
        if (!HasAutoNormalization)
        {
            return this;
        }

        if (mean.Count == 0 || std.Count == 0)
        {
            throw new InvalidInputException("pipeline: resolving \"auto\" normalization needs at least one mean and std value.");
        }

        var resolved = new NormalizeOp(mean.ToArray(), std.ToArray());
        return new PipelineSpec(Ops.Select(op => op is NormalizeOp { IsAuto: true } ? resolved : op).ToArray(), FormatVersion).Validate();
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

    /// <summary>Reads and validates a pipeline from YAML, the same document as JSON in another spelling.</summary>
    /// <exception cref="InvalidInputException">The YAML is malformed or the spec is not valid.</exception>
    public static PipelineSpec FromYaml(string yaml, string source = "pipeline") =>
        FromJson(PipelineYaml.ToJson(yaml, source), source);

    /// <summary>Reads and validates the pipeline file at <paramref name="path"/>: YAML for <c>.yaml</c> and <c>.yml</c>, JSON otherwise.</summary>
    /// <exception cref="NotFoundException">There is no such file.</exception>
    /// <exception cref="InvalidInputException">The file is malformed or the spec is not valid.</exception>
    public static PipelineSpec Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path))
        {
            throw new NotFoundException($"{path}: no such pipeline file.");
        }

        var text = File.ReadAllText(path);
        return Path.GetExtension(path).ToLowerInvariant() is ".yaml" or ".yml" ? FromYaml(text, path) : FromJson(text, path);
    }

    /// <summary>The default pipeline for a dataset of small images: decode, resize, normalize.</summary>
    public static PipelineSpec ForImages(ColorMode color, int width, int height, float mean = 0.5f, float std = 0.5f) =>
        new PipelineSpec([new DecodeOp(color), new ResizeOp(width, height), new NormalizeOp([mean], [std])]).Validate();

    private static string? ProblemInContext(PipelineOp op, int index, int channels, ToTensorOp? toTensor, NormalizeOp? normalize)
    {
        if (index > 0 && op is DecodeOp)
        {
            return "only the first op may decode";
        }

        var fill = op switch
        {
            CenterCropOp c => c.Fill,
            PadOp p => p.Fill,
            RotateOp r => r.Fill,
            _ => null,
        };
        if (fill is not null && fill.Count != 1 && fill.Count != channels)
        {
            return $"fill has {fill.Count} values for a {channels}-channel image";
        }

        switch (op)
        {
            case NormalizeOp when normalize is not null:
                return "only one normalize is allowed";
            case NormalizeOp when toTensor is { Dtype: TensorDType.Uint8 }:
                return "a uint8 tensor cannot be normalized; remove normalize or make to_tensor float32";
            case NormalizeOp n when !n.IsAuto && n.Mean.Count != 1 && n.Mean.Count != channels:
                return $"{n.Mean.Count} mean values for a {channels}-channel image";
            case ToTensorOp when toTensor is not null:
                return "only one to_tensor is allowed";
            case ToTensorOp { Dtype: TensorDType.Uint8 } when normalize is not null:
                return "a normalized tensor cannot be uint8; make to_tensor float32";
            case RandomErasingOp { Value: { } value } when value.Count != 1 && value.Count != channels:
                return $"value has {value.Count} values for a {channels}-channel image";
            case NormalizeOp or ToTensorOp or RandomErasingOp:
                return null;
            default:
                return toTensor is not null || normalize is not null
                    ? $"pixel ops must come before {(toTensor is not null ? "to_tensor" : "normalize")}; only normalize and random_erasing may follow it"
                    : null;
        }
    }
}
