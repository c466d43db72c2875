namespace Maas.Core.Pipelines;

/// <summary>Resizes to exactly <paramref name="Width"/> by <paramref name="Height"/> pixels.</summary>
/// <param name="Width">Target width, 1 to 8192.</param>
/// <param name="Height">Target height, 1 to 8192.</param>
/// <param name="Interpolation">The default is <see cref="Interpolation.Bilinear"/>.</param>
public sealed record ResizeOp(int Width, int Height, Interpolation Interpolation = Interpolation.Bilinear) : PipelineOp
{
    /// <summary>The largest side a resize may produce.</summary>
    public const int MaxSide = 8192;

    /// <inheritdoc />
    public override string? Validate() =>
        Width is < 1 or > MaxSide || Height is < 1 or > MaxSide
            ? $"width and height must be between 1 and {MaxSide}, not {Width}x{Height}"
            : Enum.IsDefined(Interpolation) ? null : $"interpolation '{Interpolation}' is unknown";
}
