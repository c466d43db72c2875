namespace Maas.Workflows.Maintenance;

/// <summary>What <c>maas doctor</c> found.</summary>
/// <param name="BlobsChecked">Stored images read back and hashed.</param>
/// <param name="SamplesChecked">Dataset samples whose image was looked up in the blob store.</param>
/// <param name="ArtifactFilesChecked">Run and model version files checked.</param>
/// <param name="Damaged">Every damaged object; empty for a healthy home.</param>
/// <param name="Reclaimable">
/// Objects that nothing refers to (packs with no indexed image, orphan artifact folders, abandoned staging): not
/// damage, but what <c>maas gc</c> would remove.
/// </param>
public sealed record HomeCheckResult(int BlobsChecked, int SamplesChecked, int ArtifactFilesChecked, IReadOnlyList<HomeDamage> Damaged,
    IReadOnlyList<HomeDamage> Reclaimable)
{
    /// <summary>Whether nothing is damaged.</summary>
    public bool Healthy => Damaged.Count == 0;
}
