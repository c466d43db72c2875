using System.Text.Json.Serialization;

namespace Maas.Core.Pipelines;

/// <summary>
/// With probability <paramref name="P"/>, fills a random rectangle with <paramref name="Value"/>, drawn as torchvision's
/// <c>RandomErasing</c> does (ten tries, else nothing is erased). Skipped in evaluation. The value is in the units of the
/// tensor where the op stands: after <see cref="NormalizeOp"/> in normalized units, before it in [0, 1] pixel units
/// (rounded to the nearest 8-bit level there).
/// </summary>
/// <param name="P">The probability of erasing, 0 to 1. The default is 0.5.</param>
/// <param name="Scale">The range of the erased area as a fraction of the image's. The default is [0.02, 0.33].</param>
/// <param name="Ratio">The range of the rectangle's height / width. The default is [0.3, 3.3].</param>
/// <param name="Value">One value or one per channel. The default is 0.</param>
public sealed record RandomErasingOp(
    double P = 0.5,
    IReadOnlyList<double>? Scale = null,
    IReadOnlyList<double>? Ratio = null,
    IReadOnlyList<float>? Value = null) : PipelineOp
{
    /// <summary>The scale range in effect.</summary>
    [JsonIgnore]
    public (double Min, double Max) ScaleRange => Scale is { Count: 2 } s ? (s[0], s[1]) : (0.02, 0.33);

    /// <summary>The aspect ratio range in effect.</summary>
    [JsonIgnore]
    public (double Min, double Max) RatioRange => Ratio is { Count: 2 } r ? (r[0], r[1]) : (0.3, 3.3);

    /// <summary>The value for channel <paramref name="channel"/>.</summary>
    public float ValueOf(int channel) => Value is null ? 0 : Value.Count == 1 ? Value[0] : Value[channel];

    /// <inheritdoc />
    protected override bool DrawsRandomNumbers => true;

    /// <inheritdoc />
    public override string? Validate()
    {
        if (Scale is { Count: 2 } && Scale[1] > 1)
        {
            return $"scale {OpChecks.Format(Scale)} must not exceed 1";
        }

        if (Value is not null && (Value.Count is not (1 or 3) || Value.Any(v => !float.IsFinite(v))))
        {
            return "value must list 1 or 3 finite numbers";
        }

        return OpChecks.Probability(P) ?? OpChecks.Range("scale", Scale, 0, floorAllowed: false) ?? OpChecks.Range("ratio", Ratio, 0, floorAllowed: false);
    }
}
