using Maas.Core.Datasets;

namespace Maas.Datasets.Manifests;

/// <summary>One data row of a manifest, checked.</summary>
/// <param name="Line">The line the row starts on (1-based, counting a header row).</param>
/// <param name="Path">The row's path, normalized and known to stay inside the manifest's folder; null when unusable.</param>
/// <param name="Label">The class name.</param>
/// <param name="Split">The split the row names, or null to assign one.</param>
/// <param name="Error">Why the row is refused, or null.</param>
internal sealed record ManifestRow(int Line, string? Path, string Label, Split? Split, string? Error)
{
    /// <summary>Whether the row can be imported (so far: the file it names is checked later).</summary>
    public bool IsUsable => Error is null && Path is not null;
}
