using Maas.Datasets.Preprocessing;

namespace Maas.Workflows.Preprocessing;

/// <summary>A built or reused shard cache.</summary>
/// <param name="Dataset">The version preprocessed, NAME@VERSION.</param>
/// <param name="Folder">The cache's folder.</param>
/// <param name="Reused">Whether an existing cache was reused rather than built now.</param>
/// <param name="Manifest">The cache's samples, shards, bytes and build time.</param>
/// <param name="PrefixOps">Ops of the pipeline's deterministic prefix, the ones the cache holds the output of.</param>
/// <param name="Ops">Ops of the whole pipeline.</param>
public sealed record PreprocessDatasetResult(string Dataset, string Folder, bool Reused, ShardCacheManifest Manifest, int PrefixOps, int Ops);
