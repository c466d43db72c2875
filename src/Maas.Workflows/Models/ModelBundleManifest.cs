namespace Maas.Workflows.Models;

/// <summary>
/// The list of a <see cref="ModelBundle"/>'s files with their sizes and hashes (<c>manifest.json</c>), written last
/// so that a bundle whose files do not match it is known to be incomplete or damaged.
/// </summary>
/// <param name="Format">The manifest format, <see cref="ModelBundle.FormatVersion"/> when written by this version of Maas.</param>
/// <param name="Files">Every file of the bundle but the manifest itself.</param>
public sealed record ModelBundleManifest(int Format, IReadOnlyList<ModelBundleFile> Files);
