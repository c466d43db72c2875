namespace Maas.Core.Pipelines;

/// <summary>
/// Ends the pixel ops and declares the tensor's element type; the tensor is always CHW. A pipeline without one ends as
/// if it had <c>to_tensor</c> float32. Only <see cref="NormalizeOp"/> and <see cref="RandomErasingOp"/> may follow it.
/// </summary>
/// <param name="Dtype">The default is <see cref="TensorDType.Float32"/>; uint8 keeps the 0-255 values and allows no normalize.</param>
public sealed record ToTensorOp(TensorDType Dtype = TensorDType.Float32) : PipelineOp
{
    /// <inheritdoc />
    public override string? Validate() => Enum.IsDefined(Dtype) ? null : $"dtype '{Dtype}' is unknown";
}
