namespace Maas.Core.Pipelines;

/// <summary>Decodes the encoded image to <paramref name="Color"/> pixels. Always the first op.</summary>
/// <param name="Color">The channel layout to decode to. The default is <see cref="ColorMode.Rgb"/>.</param>
public sealed record DecodeOp(ColorMode Color = ColorMode.Rgb) : PipelineOp
{
    /// <inheritdoc />
    public override string? Validate() =>
        Enum.IsDefined(Color) ? null : $"color must be 'gray' or 'rgb', not '{Color}'";
}
