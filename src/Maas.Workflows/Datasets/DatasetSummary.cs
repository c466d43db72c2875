using Maas.Core.Datasets;

namespace Maas.Workflows.Datasets;

/// <summary>A dataset version with its counts per split and class and its images' sizes, channels and formats.</summary>
/// <param name="Version">The version.</param>
/// <param name="Counts">Samples per split and class.</param>
/// <param name="Images">Image sizes, channel counts and formats.</param>
public sealed record DatasetSummary(DatasetVersion Version, SplitCounts Counts, ImageStatistics Images);
