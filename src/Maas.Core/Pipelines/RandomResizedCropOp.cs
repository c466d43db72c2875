using System.Text.Json.Serialization;

namespace Maas.Core.Pipelines;

/// <summary>
/// Crops a random area of the image and resizes it to <paramref name="Width"/> x <paramref name="Height"/>, drawing the
/// area and aspect ratio as torchvision's <c>RandomResizedCrop</c> does (ten tries, then a centre crop). Its evaluation
/// counterpart resizes the shorter side to <paramref name="EvaluationShorterSide"/> and crops the centre.
/// </summary>
/// <param name="Width">Output width, 1 to 8192.</param>
/// <param name="Height">Output height, 1 to 8192.</param>
/// <param name="Scale">The range of the crop's area as a fraction of the image's. The default is [0.08, 1].</param>
/// <param name="Ratio">The range of the crop's width / height. The default is [3/4, 4/3]; drawn uniformly in log space.</param>
/// <param name="Interpolation">The default is <see cref="Interpolation.Bilinear"/>.</param>
/// <param name="EvaluationShorterSide">
/// The shorter side to resize to before the centre crop in evaluation; 0 (the default) means the larger of width and
/// height, so evaluation sees the whole centre square. ImageNet practice is 256 for a 224 crop.
/// </param>
public sealed record RandomResizedCropOp(
    int Width,
    int Height,
    IReadOnlyList<double>? Scale = null,
    IReadOnlyList<double>? Ratio = null,
    Interpolation Interpolation = Interpolation.Bilinear,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] int EvaluationShorterSide = 0) : PipelineOp
{
    /// <summary>The scale range in effect.</summary>
    [JsonIgnore]
    public (double Min, double Max) ScaleRange => Scale is { Count: 2 } s ? (s[0], s[1]) : (0.08, 1.0);

    /// <summary>The aspect ratio range in effect.</summary>
    [JsonIgnore]
    public (double Min, double Max) RatioRange => Ratio is { Count: 2 } r ? (r[0], r[1]) : (3.0 / 4.0, 4.0 / 3.0);

    /// <inheritdoc />
    protected override bool DrawsRandomNumbers => true;

    /// <inheritdoc />
    public override string? Validate()
    {
        if (Width is < 1 or > ResizeOp.MaxSide || Height is < 1 or > ResizeOp.MaxSide)
        {
            return $"width and height must be between 1 and {ResizeOp.MaxSide}, not {Width}x{Height}";
        }

        if (!Enum.IsDefined(Interpolation))
        {
            return $"interpolation '{Interpolation}' is unknown";
        }

        if (Scale is { Count: 2 } && Scale[1] > 1)
        {
            return $"scale {OpChecks.Format(Scale)} must not exceed 1";
        }

        if (EvaluationShorterSide is < 0 or > ResizeOp.MaxSide)
        {
            return $"evaluation_shorter_side must be between 1 and {ResizeOp.MaxSide}, not {EvaluationShorterSide}";
        }

        return OpChecks.Range("scale", Scale, 0, floorAllowed: false) ?? OpChecks.Range("ratio", Ratio, 0, floorAllowed: false);
    }

    /// <inheritdoc />
    public override IReadOnlyList<PipelineOp> EvaluationCounterpart() =>
    [
        ResizeOp.ToShorterSide(EvaluationShorterSide > 0 ? EvaluationShorterSide : Math.Max(Width, Height), Interpolation),
        new CenterCropOp(Width, Height),
    ];

    /// <inheritdoc />
    public override ImageSize? SizeAfter(ImageSize? input) => new ImageSize(Width, Height);
}
