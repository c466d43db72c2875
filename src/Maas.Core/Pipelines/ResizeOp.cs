using System.Text.Json.Serialization;

namespace Maas.Core.Pipelines;

/// <summary>
/// Resizes to exactly <paramref name="Width"/> by <paramref name="Height"/> pixels, or, when
/// <paramref name="ShorterSide"/> is set instead, so that the shorter side has that length and the aspect ratio is kept
/// (the longer side is truncated, as torchvision's <c>Resize(int)</c> does).
/// </summary>
/// <param name="Width">Target width, 1 to 8192; 0 when <paramref name="ShorterSide"/> is used.</param>
/// <param name="Height">Target height, 1 to 8192; 0 when <paramref name="ShorterSide"/> is used.</param>
/// <param name="Interpolation">The default is <see cref="Interpolation.Bilinear"/>.</param>
/// <param name="ShorterSide">Target length of the shorter side, 1 to 8192, or 0 to resize to width and height.</param>
public sealed record ResizeOp(
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] int Width = 0,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] int Height = 0,
    Interpolation Interpolation = Interpolation.Bilinear,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] int ShorterSide = 0) : PipelineOp
{
    /// <summary>The largest side a resize may produce.</summary>
    public const int MaxSide = 8192;

    /// <summary>A resize of the shorter side to <paramref name="length"/>, keeping the aspect ratio.</summary>
    public static ResizeOp ToShorterSide(int length, Interpolation interpolation = Interpolation.Bilinear) =>
        new(0, 0, interpolation, length);

    /// <inheritdoc />
    public override string? Validate()
    {
        if (!Enum.IsDefined(Interpolation))
        {
            return $"interpolation '{Interpolation}' is unknown";
        }

        if (ShorterSide != 0)
        {
            return Width != 0 || Height != 0 ? "give either width and height or shorter_side, not both"
                : ShorterSide is < 1 or > MaxSide ? $"shorter_side must be between 1 and {MaxSide}, not {ShorterSide}"
                : null;
        }

        return Width is < 1 or > MaxSide || Height is < 1 or > MaxSide
            ? $"width and height must be between 1 and {MaxSide}, not {Width}x{Height}"
            : null;
    }

    /// <inheritdoc />
    public override ImageSize? SizeAfter(ImageSize? input) =>
        ShorterSide == 0 ? new ImageSize(Width, Height) : input is { } size ? SizeFor(size) : null;

    /// <summary>The size this op gives an image of size <paramref name="input"/>.</summary>
    public ImageSize SizeFor(ImageSize input)
    {
        if (ShorterSide == 0)
        {
            return new ImageSize(Width, Height);
        }

        // torchvision: the longer side becomes int(shorter_side * long / short), truncated.
        if (input.Width <= input.Height)
        {
            return new ImageSize(ShorterSide, Math.Max(1, (int)((long)ShorterSide * input.Height / input.Width)));
        }

        return new ImageSize(Math.Max(1, (int)((long)ShorterSide * input.Width / input.Height)), ShorterSide);
    }
}
