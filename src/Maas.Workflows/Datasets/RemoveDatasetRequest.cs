using Maas.Core;

namespace Maas.Workflows.Datasets;

/// <summary>Which dataset version to remove.</summary>
/// <param name="Dataset">NAME@VERSION; the number is required.</param>
/// <param name="Force">Remove it even when registered model versions were trained on it.</param>
public sealed record RemoveDatasetRequest(VersionedName Dataset, bool Force);
