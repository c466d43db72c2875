namespace Maas.Core.Pipelines;

/// <summary>
/// Scales pixels to [0, 1] and then computes <c>(x - mean[c]) / std[c]</c> per channel, producing the CHW float
/// tensor a model consumes.
/// </summary>
/// <param name="Mean">One value per channel, or one for all.</param>
/// <param name="Std">One positive value per channel, or one for all.</param>
public sealed record NormalizeOp(IReadOnlyList<float> Mean, IReadOnlyList<float> Std) : PipelineOp
{
    /// <inheritdoc />
    public override string? Validate()
    {
        if (Mean is null || Std is null || Mean.Count == 0 || Std.Count == 0)
        {
            return "mean and std must each list at least one value";
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
