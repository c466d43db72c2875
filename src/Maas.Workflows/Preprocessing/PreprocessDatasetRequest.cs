using Maas.Core;
using Maas.Core.Pipelines;

namespace Maas.Workflows.Preprocessing;

/// <summary>Which dataset version to preprocess through which pipeline.</summary>
/// <param name="Dataset">NAME@VERSION, or NAME for the latest version.</param>
/// <param name="Pipeline">The pipeline whose deterministic prefix is materialized.</param>
/// <param name="Force">Rebuild the cache even when one for this version and pipeline exists.</param>
public sealed record PreprocessDatasetRequest(VersionedName Dataset, PipelineSpec Pipeline, bool Force = false);
