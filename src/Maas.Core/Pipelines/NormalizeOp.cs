using System.Text.Json.Serialization;

namespace Maas.Core.Pipelines;

/// <summary>
/// Scales pixels to [0, 1] and then computes <c>(x - mean[c]) / std[c]</c> per channel, producing the CHW float
/// tensor a model consumes. Written as <c>"mean": "auto", "std": "auto"</c> (<see cref="Auto"/>), it stands for the
/// training split's own statistics, which <see cref="PipelineSpec.ResolveNormalization"/> fills in before anything runs.
/// </summary>
/// <param name="Mean">One value per channel, or one for all; empty means "auto".</param>
/// <param name="Std">One positive value per channel, or one for all; empty means "auto".</param>
public sealed record NormalizeOp(
    [property: JsonConverter(typeof(AutoStatisticsConverter))] IReadOnlyList<float> Mean,
    [property: JsonConverter(typeof(AutoStatisticsConverter))] IReadOnlyList<float> Std) : PipelineOp
{
    /// <summary>A normalize that uses the training split's statistics once they are resolved.</summary>
    public static NormalizeOp Auto { get; } = new([], []);

    /// <summary>True while mean and std still stand for the training split's statistics.</summary>
    [JsonIgnore]
    public bool IsAuto => Mean is { Count: 0 } && Std is { Count: 0 };

    /// <inheritdoc />
    public override string? Validate()
    {
        if (Mean is null || Std is null)
        {
            return "mean and std are both required (numbers, or \"auto\")";
        }

        if (IsAuto)
        {
            return null;
        }

        if (Mean.Count == 0 || Std.Count == 0)
        {
            return "mean and std must both be \"auto\" or both list values";
        }

        if (Mean.Count != Std.Count)
        {
            return $"mean has {Mean.Count} values but std has {Std.Count}";
        }

        return Std.Any(s => !(s > 0) || float.IsInfinity(s)) ? "every std value must be positive and finite" :
            Mean.Any(m => !float.IsFinite(m)) ? "every mean value must be finite" : null;
    }

    /// <summary>The mean for channel <paramref name="channel"/>.</summary>
    public float MeanOf(int channel) => Mean.Count == 1 ? Mean[0] : Mean[channel];

    /// <summary>The standard deviation for channel <paramref name="channel"/>.</summary>
    public float StdOf(int channel) => Std.Count == 1 ? Std[0] : Std[channel];
}
