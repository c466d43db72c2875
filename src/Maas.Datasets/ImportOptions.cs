namespace Maas.Datasets;

/// <summary>How an import names classes and assigns splits.</summary>
/// <param name="ClassNames">Class names in label order; IDX files carry none, so the default is <c>0</c>..<c>K-1</c>.</param>
/// <param name="SplitFractions">Train, validation and test fractions for sources without splits. The default is 0.8, 0.1, 0.1.</param>
/// <param name="Seed">Seed of the stratified split. The default is 42.</param>
public sealed record ImportOptions(IReadOnlyList<string>? ClassNames = null, IReadOnlyList<double>? SplitFractions = null, int Seed = 42)
{
    /// <summary>The default fractions.</summary>
    public static IReadOnlyList<double> DefaultSplitFractions { get; } = [0.8, 0.1, 0.1];
}
