using Maas.Core;

namespace Maas.Workflows.Datasets;

/// <summary>Which dataset version to export, and where.</summary>
/// <param name="Dataset">NAME@VERSION, or NAME for the latest version.</param>
/// <param name="Output">The folder to write; it must be missing or empty unless <paramref name="Force"/>.</param>
/// <param name="Force">Replace the folder even when it is not empty.</param>
public sealed record ExportDatasetRequest(VersionedName Dataset, string Output, bool Force);
