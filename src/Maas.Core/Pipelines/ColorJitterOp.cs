using System.Text.Json.Serialization;

namespace Maas.Core.Pipelines;

/// <summary>
/// Randomly changes brightness, contrast and saturation, in a random order, as torchvision's <c>ColorJitter</c> does
/// (hue is not offered). Each factor is either one number b, meaning a factor drawn from [max(0, 1 - b), 1 + b], or a
/// [min, max] pair. Factor f blends the image with black (brightness), with its mean gray level (contrast) or with its
/// own grayscale (saturation): <c>f * image + (1 - f) * other</c>, rounded and clamped to 0..255. Skipped in evaluation.
/// </summary>
/// <param name="Brightness">Null or omitted leaves brightness alone.</param>
/// <param name="Contrast">Null or omitted leaves contrast alone.</param>
/// <param name="Saturation">Null or omitted leaves saturation alone; it has no effect on one-channel images.</param>
public sealed record ColorJitterOp(
    [property: JsonConverter(typeof(FactorRangeConverter))] IReadOnlyList<double>? Brightness = null,
    [property: JsonConverter(typeof(FactorRangeConverter))] IReadOnlyList<double>? Contrast = null,
    [property: JsonConverter(typeof(FactorRangeConverter))] IReadOnlyList<double>? Saturation = null) : PipelineOp
{
    /// <inheritdoc />
    protected override bool DrawsRandomNumbers => true;

    /// <inheritdoc />
    public override string? Validate() =>
        Check("brightness", Brightness) ?? Check("contrast", Contrast) ?? Check("saturation", Saturation);

    /// <summary>The [min, max] factor range a parameter means, or null when it is not set.</summary>
    public static (double Min, double Max)? FactorRange(IReadOnlyList<double>? factor) => factor switch
    {
        null => null,
        { Count: 1 } => (Math.Max(0, 1 - factor[0]), 1 + factor[0]),
        _ => (factor[0], factor[1]),
    };

    private static string? Check(string name, IReadOnlyList<double>? factor)
    {
        if (factor is { Count: 1 })
        {
            return factor[0] is >= 0 && double.IsFinite(factor[0]) ? null : $"{name} must be a non-negative number or a [min, max] pair, not {factor[0]}";
        }

        return OpChecks.Range(name, factor, 0, floorAllowed: true);
    }
}
