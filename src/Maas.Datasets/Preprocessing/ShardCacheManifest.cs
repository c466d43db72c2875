namespace Maas.Datasets.Preprocessing;

/// <summary>The <c>cache.json</c> of a shard cache, written last: a folder without it is not a cache.</summary>
/// <param name="Format">The cache layout's version.</param>
/// <param name="Dataset">The dataset version, e.g. <c>fashion@1</c>.</param>
/// <param name="ManifestHash">The version's manifest hash; part of the key.</param>
/// <param name="Prefix">The deterministic prefix of the pipeline, as JSON; part of the key.</param>
/// <param name="SampleCount">How many images.</param>
/// <param name="ShardCount">How many shard files.</param>
/// <param name="Bytes">Bytes of pixels in all shards.</param>
/// <param name="CreatedAt">When it was built.</param>
/// <param name="BuildSeconds">How long building took.</param>
public sealed record ShardCacheManifest(int Format, string Dataset, string ManifestHash, string Prefix, int SampleCount, int ShardCount, long Bytes,
    DateTimeOffset CreatedAt, double BuildSeconds);
