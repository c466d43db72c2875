using System.Text.Json.Serialization;

namespace Maas.Core.Pipelines;

/// <summary>One step of a <see cref="PipelineSpec"/>; the JSON property <c>op</c> names the kind.</summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "op", UnknownDerivedTypeHandling = JsonUnknownDerivedTypeHandling.FailSerialization)]
[JsonDerivedType(typeof(DecodeOp), "decode")]
[JsonDerivedType(typeof(ResizeOp), "resize")]
[JsonDerivedType(typeof(NormalizeOp), "normalize")]
public abstract record PipelineOp
{
    /// <summary>Returns a message naming the problem with this op's parameters, or null when they are valid.</summary>
    public abstract string? Validate();
}
