using System.Globalization;

namespace Maas.Core.Pipelines;

/// <summary>Parameter checks several ops share; each returns the problem or null.</summary>
internal static class OpChecks
{
    public static string? Fill(IReadOnlyList<int>? fill) =>
        fill is null ? null
        : fill.Count is not (1 or 3) ? $"fill must list 1 or 3 values, not {fill.Count}"
        : fill.Any(v => v is < 0 or > 255) ? $"fill values must be between 0 and 255, not {Format(fill)}"
        : null;

    public static string? Probability(double p) =>
        p is >= 0 and <= 1 ? null : $"p must be between 0 and 1, not {p.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>A [min, max] pair of finite numbers with min &lt;= max and min above <paramref name="floor"/> (or at it when allowed).</summary>
    public static string? Range(string name, IReadOnlyList<double>? range, double floor, bool floorAllowed)
    {
        if (range is null)
        {
            return null;
        }

        if (range.Count != 2)
        {
            return $"{name} must be a pair [min, max], not {range.Count} values";
        }

        if (!double.IsFinite(range[0]) || !double.IsFinite(range[1]))
        {
            return $"{name} {Format(range)} must be finite";
        }

        if (range[0] > range[1])
        {
            return $"{name} {Format(range)} is empty";
        }

        return range[0] < floor || (!floorAllowed && range[0] == floor)
            ? $"{name} {Format(range)} must be {(floorAllowed ? "at least" : "above")} {floor.ToString(CultureInfo.InvariantCulture)}"
            : null;
    }

    public static string Format<T>(IReadOnlyList<T> values) where T : IFormattable =>
        "[" + string.Join(", ", values.Select(v => v.ToString(null, CultureInfo.InvariantCulture))) + "]";
}
