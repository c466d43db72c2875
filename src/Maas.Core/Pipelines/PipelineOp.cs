using System.Reflection;
using System.Text.Json.Serialization;

namespace Maas.Core.Pipelines;

/// <summary>One step of a <see cref="PipelineSpec"/>; the JSON property <c>op</c> names the kind.</summary>
/// <remarks>
/// Ops before the first <see cref="NormalizeOp"/> or <see cref="ToTensorOp"/> work on 8-bit interleaved pixels and
/// round every result to 8 bits, as torchvision does on PIL images; that is what lets a shard cache store the output
/// of the deterministic prefix as bytes and still give the same tensors as running the whole pipeline.
/// </remarks>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "op", UnknownDerivedTypeHandling = JsonUnknownDerivedTypeHandling.FailSerialization)]
[JsonDerivedType(typeof(DecodeOp), "decode")]
[JsonDerivedType(typeof(ResizeOp), "resize")]
[JsonDerivedType(typeof(CenterCropOp), "center_crop")]
[JsonDerivedType(typeof(PadOp), "pad")]
[JsonDerivedType(typeof(RandomResizedCropOp), "random_resized_crop")]
[JsonDerivedType(typeof(RotateOp), "rotate")]
[JsonDerivedType(typeof(HorizontalFlipOp), "horizontal_flip")]
[JsonDerivedType(typeof(VerticalFlipOp), "vertical_flip")]
[JsonDerivedType(typeof(ColorJitterOp), "color_jitter")]
[JsonDerivedType(typeof(RandomErasingOp), "random_erasing")]
[JsonDerivedType(typeof(GrayscaleOp), "grayscale")]
[JsonDerivedType(typeof(NormalizeOp), "normalize")]
[JsonDerivedType(typeof(ToTensorOp), "to_tensor")]
public abstract record PipelineOp
{
    // The JSON discriminators are the single source of op names, so messages and documents never disagree.
    private static readonly Dictionary<Type, string> s_names = typeof(PipelineOp)
        .GetCustomAttributes<JsonDerivedTypeAttribute>()
        .ToDictionary(a => a.DerivedType, a => (string)a.TypeDiscriminator!);

    /// <summary>The op's name as written in JSON (<c>resize</c>, <c>center_crop</c>, ...).</summary>
    [JsonIgnore]
    public string Name => s_names.TryGetValue(GetType(), out var name) ? name : GetType().Name;

    /// <summary>True when the op draws random numbers, which makes it a training-only augmentation.</summary>
    [JsonIgnore]
    public bool IsRandom => DrawsRandomNumbers;

    /// <summary>Whether this op draws random numbers; the default is false.</summary>
    protected virtual bool DrawsRandomNumbers => false;

    /// <summary>Returns a message naming the problem with this op's parameters, or null when they are valid.</summary>
    public abstract string? Validate();

    /// <summary>
    /// The ops that stand in for this one when evaluating or serving: itself for a deterministic op, nothing for a
    /// pure augmentation, or a deterministic equivalent (a random crop becomes a centre crop).
    /// </summary>
    public virtual IReadOnlyList<PipelineOp> EvaluationCounterpart() => IsRandom ? [] : [this];

    /// <summary>The image size after this op given the size before it, or null when it depends on the image or the draw.</summary>
    /// <param name="input">The size before this op, or null when it is not known until run time.</param>
    public virtual ImageSize? SizeAfter(ImageSize? input) => input;

    /// <summary>The channel count after this op given the count before it.</summary>
    public virtual int ChannelsAfter(int input) => input;
}
