namespace Maas.Core.Pipelines;

/// <summary>
/// Decodes the encoded image to <paramref name="Color"/> pixels. Always the first op. The EXIF orientation is always
/// applied, so a photo taken sideways arrives upright. Alpha is dropped, not composited: RGB keeps each pixel's
/// unpremultiplied colour whatever its opacity, as PIL's <c>convert('RGB')</c> does. CMYK JPEGs are converted to RGB and
/// grayscale sources are repeated into three channels.
/// </summary>
/// <param name="Color">The channel layout to decode to. The default is <see cref="ColorMode.Rgb"/>.</param>
public sealed record DecodeOp(ColorMode Color = ColorMode.Rgb) : PipelineOp
{
    /// <inheritdoc />
    public override string? Validate() =>
        Enum.IsDefined(Color) ? null : $"color must be 'gray' or 'rgb', not '{Color}'";

    /// <inheritdoc />
    public override ImageSize? SizeAfter(ImageSize? input) => null;

    /// <inheritdoc />
    public override int ChannelsAfter(int input) => Color == ColorMode.Gray ? 1 : 3;
}
