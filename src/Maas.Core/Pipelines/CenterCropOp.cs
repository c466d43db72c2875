namespace Maas.Core.Pipelines;

/// <summary>
/// Crops the centre <paramref name="Width"/> x <paramref name="Height"/> pixels. An image smaller than that is first
/// padded with <paramref name="Fill"/> on both sides, as torchvision's <c>CenterCrop</c> does; the crop offset rounds
/// half to even, like Python's <c>round</c>.
/// </summary>
/// <param name="Width">Crop width, 1 to 8192.</param>
/// <param name="Height">Crop height, 1 to 8192.</param>
/// <param name="Fill">The padding colour, one value or one per channel, 0 to 255. The default is 0 (black).</param>
public sealed record CenterCropOp(int Width, int Height, IReadOnlyList<int>? Fill = null) : PipelineOp
{
    /// <inheritdoc />
    public override string? Validate() =>
        Width is < 1 or > ResizeOp.MaxSide || Height is < 1 or > ResizeOp.MaxSide
            ? $"width and height must be between 1 and {ResizeOp.MaxSide}, not {Width}x{Height}"
            : OpChecks.Fill(Fill);

    /// <inheritdoc />
    public override ImageSize? SizeAfter(ImageSize? input) => new ImageSize(Width, Height);
}
