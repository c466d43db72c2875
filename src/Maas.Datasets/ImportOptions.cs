namespace Maas.Datasets;

/// <summary>How an import reads its source, names classes and assigns splits.</summary>
/// <param name="ClassNames">Class names in label order; IDX files carry none, so the default is the previous version's names when they fit, else <c>0</c>..<c>K-1</c>.</param>
/// <param name="SplitFractions">Train, validation and test fractions for samples the source gives no split. The default is 0.8, 0.1, 0.1.</param>
/// <param name="Seed">Seed of the stratified split. The default is 42.</param>
/// <param name="Format">The source layout. The default is <see cref="ImportFormat.Auto"/>.</param>
/// <param name="Limits">Size limits every image must meet; the default is <see cref="Imaging.DecodeLimits.Default"/>.</param>
public sealed record ImportOptions(
    IReadOnlyList<string>? ClassNames = null,
    IReadOnlyList<double>? SplitFractions = null,
    int Seed = 42,
    ImportFormat Format = ImportFormat.Auto,
    Imaging.DecodeLimits? Limits = null)
{
    /// <summary>The default fractions.</summary>
    public static IReadOnlyList<double> DefaultSplitFractions { get; } = [0.8, 0.1, 0.1];
}
