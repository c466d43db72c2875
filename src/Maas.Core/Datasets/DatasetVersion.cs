namespace Maas.Core.Datasets;

/// <summary>An immutable, numbered version of a dataset: its class list and the counts of its manifest.</summary>
/// <param name="Name">The dataset name.</param>
/// <param name="Version">1, 2, ... in order of creation.</param>
/// <param name="Classes">Class names; a sample's label is an index into this list.</param>
/// <param name="ManifestHash">SHA-256 over the sorted manifest, so equal content has an equal hash.</param>
/// <param name="SampleCount">The number of samples.</param>
/// <param name="CreatedAt">When the version was committed.</param>
/// <param name="Source">Where the import read from.</param>
public sealed record DatasetVersion(
    string Name,
    int Version,
    IReadOnlyList<string> Classes,
    string ManifestHash,
    int SampleCount,
    DateTimeOffset CreatedAt,
    string Source)
{
    /// <summary>The printable reference, e.g. <c>fashion@1</c>.</summary>
    public string Reference => $"{Name}@{Version}";
}
