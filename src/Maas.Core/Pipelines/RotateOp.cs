namespace Maas.Core.Pipelines;

/// <summary>
/// Rotates counter-clockwise about the image centre by a fixed <paramref name="Angle"/> or, in training, by an angle
/// drawn uniformly from <paramref name="Range"/> (skipped in evaluation). Multiples of 90 degrees are exact.
/// </summary>
/// <param name="Angle">Degrees, counter-clockwise; give this or <paramref name="Range"/>.</param>
/// <param name="Range">[min, max] degrees to draw from; give this or <paramref name="Angle"/>.</param>
/// <param name="Fill">The colour of areas the rotation uncovers, one value or one per channel, 0 to 255. The default is 0.</param>
/// <param name="Expand">True grows the image to hold the whole rotated image; false (the default) keeps its size.</param>
/// <param name="Interpolation">Nearest (the default, as torchvision) or bilinear.</param>
public sealed record RotateOp(
    double? Angle = null,
    IReadOnlyList<double>? Range = null,
    IReadOnlyList<int>? Fill = null,
    bool Expand = false,
    Interpolation Interpolation = Interpolation.Nearest) : PipelineOp
{
    /// <inheritdoc />
    protected override bool DrawsRandomNumbers => Range is not null;

    /// <inheritdoc />
    public override string? Validate()
    {
        if ((Angle is null) == (Range is null))
        {
            return "give either angle or range, not both or neither";
        }

        if (Angle is { } angle && !double.IsFinite(angle))
        {
            return "angle must be finite";
        }

        if (Interpolation is not (Interpolation.Nearest or Interpolation.Bilinear))
        {
            return $"interpolation must be 'nearest' or 'bilinear', not '{Interpolation.ToString().ToLowerInvariant()}'";
        }

        return OpChecks.Range("range", Range, double.MinValue, floorAllowed: true) ?? OpChecks.Fill(Fill);
    }

    /// <inheritdoc />
    public override ImageSize? SizeAfter(ImageSize? input) =>
        !Expand ? input : input is { } size && Angle is { } angle ? ExpandedSize(size, angle) : null;

    /// <summary>The size that holds an image of <paramref name="size"/> rotated by <paramref name="degrees"/>.</summary>
    public static ImageSize ExpandedSize(ImageSize size, double degrees)
    {
        var (sin, cos) = SinCos(degrees);
        // Rounded to 1e-6 first so that 90 degrees of a 3x5 image is 5x3, not 6x4 from a stray ulp.
        var w = Math.Ceiling(Math.Round((Math.Abs(cos) * size.Width) + (Math.Abs(sin) * size.Height), 6));
        var h = Math.Ceiling(Math.Round((Math.Abs(sin) * size.Width) + (Math.Abs(cos) * size.Height), 6));
        return new ImageSize((int)w, (int)h);
    }

    /// <summary>Sine and cosine of <paramref name="degrees"/>, exact at multiples of 90.</summary>
    public static (double Sin, double Cos) SinCos(double degrees)
    {
        var turns = degrees / 90;
        if (turns == Math.Floor(turns))
        {
            return (((long)turns % 4 + 4) % 4) switch
            {
                0 => (0, 1),
                1 => (1, 0),
                2 => (0, -1),
                _ => (-1, 0),
            };
        }

        var radians = degrees * Math.PI / 180;
        return (Math.Sin(radians), Math.Cos(radians));
    }
}
