using System.Buffers.Binary;
using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Maas.Core;
using Maas.Core.Datasets;
using Maas.Core.Pipelines;
using Maas.Imaging;
using Maas.Storage.Blobs;

namespace Maas.Datasets.Preprocessing;

/// <summary>
/// Keeps a dataset version's images after a pipeline's deterministic prefix (decode, resize, crop... up to the first
/// random op), so training pays for decoding once rather than every epoch. A cache is keyed by the version's
/// manifest hash and the prefix: it is reused when both match and a new one is built when either changes. A cache is
/// built in a temporary folder and renamed into place whole, so an interrupted build leaves nothing that looks like
/// a cache.
/// </summary>
/// <param name="root">The folder that holds the caches (<c>cache/preprocessed</c> under the home).</param>
public sealed class ShardCache(string root)
{
    /// <summary>The layout version written to <see cref="ShardCacheManifest.Format"/>.</summary>
    public const int Format = 1;

    internal const string IndexFileName = "index.bin";
    private const string ManifestFileName = "cache.json";
    private const long ShardBytes = 256L << 20;
    private const int Chunk = 1024;

    private static readonly JsonSerializerOptions s_json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    /// <summary>The cache folder for <paramref name="version"/> through the deterministic prefix of <paramref name="spec"/>.</summary>
    public string FolderFor(DatasetVersion version, PipelineSpec spec)
    {
        ArgumentNullException.ThrowIfNull(version);
        ArgumentNullException.ThrowIfNull(spec);
        var key = ContentHash.Of(Encoding.UTF8.GetBytes($"{Format}\n{version.ManifestHash}\n{PrefixJson(spec)}"))[..16];
        return Path.Combine(root, version.Reference.Replace('@', '-'), key);
    }

    /// <summary>Opens the cache for this version and prefix, building it first when there is none (or when <paramref name="rebuild"/>).</summary>
    /// <param name="version">The dataset version.</param>
    /// <param name="samples">Its manifest, in order; image i of the cache is sample i.</param>
    /// <param name="executor">Runs the pipeline; only its deterministic prefix is applied.</param>
    /// <param name="blobs">Where the samples' bytes are.</param>
    /// <param name="rebuild">Build anew even when a cache exists.</param>
    /// <param name="progress">Told how many images are done while building.</param>
    /// <param name="cancellationToken">Stops the build; the temporary folder is removed.</param>
    public async Task<PreprocessedShards> OpenOrBuildAsync(DatasetVersion version, IReadOnlyList<Sample> samples, PipelineExecutor executor,
        IBlobStore blobs, bool rebuild, IProgress<int>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(samples);
        ArgumentNullException.ThrowIfNull(executor);
        ArgumentNullException.ThrowIfNull(blobs);
        var folder = FolderFor(version, executor.Spec);
        if (!rebuild && TryOpen(folder) is { } existing)
        {
            return existing;
        }

        Directory.CreateDirectory(Path.GetDirectoryName(folder)!);
        var temp = $"{folder}.tmp-{Guid.NewGuid():N}";
        try
        {
            var manifest = await Task.Run(() => Build(temp, version, samples, executor, blobs, progress, cancellationToken), cancellationToken);
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }

            Directory.Move(temp, folder);
            return new PreprocessedShards(folder, manifest, reused: false);
        }
        finally
        {
            if (Directory.Exists(temp))
            {
                Directory.Delete(temp, recursive: true);
            }
        }
    }

    /// <summary>The cache in <paramref name="folder"/>, or null when there is no complete one.</summary>
    public static PreprocessedShards? TryOpen(string folder)
    {
        var path = Path.Combine(folder, ManifestFileName);
        if (!File.Exists(path))
        {
            return null;
        }

        var manifest = JsonSerializer.Deserialize<ShardCacheManifest>(File.ReadAllText(path), s_json);
        return manifest is { Format: Format } ? new PreprocessedShards(folder, manifest, reused: true) : null;
    }

    /// <summary>The deterministic prefix of <paramref name="spec"/> as JSON, which names what a cache holds.</summary>
    public static string PrefixJson(PipelineSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return new PipelineSpec(spec.DeterministicPrefix, spec.FormatVersion).ToJson();
    }

    internal static string ShardFileName(int shard) => $"shard-{shard:D5}.bin";

    private static ShardCacheManifest Build(string folder, DatasetVersion version, IReadOnlyList<Sample> samples, PipelineExecutor executor,
        IBlobStore blobs, IProgress<int>? progress, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        Directory.CreateDirectory(folder);
        var index = new byte[(long)samples.Count * PreprocessedShards.IndexEntrySize];
        var images = new DecodedImage[Math.Min(Chunk, samples.Count)];
        var shard = 0;
        long shardLength = 0;
        long bytes = 0;
        var output = new FileStream(Path.Combine(folder, ShardFileName(shard)), FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 20);
        try
        {
            // Chunks keep memory bounded: decode a chunk in parallel, then append it in order.
            for (var start = 0; start < samples.Count; start += Chunk)
            {
                var count = Math.Min(Chunk, samples.Count - start);
                Parallel.For(0, count, new ParallelOptions { CancellationToken = cancellationToken }, i =>
                {
                    var sample = samples[start + i];
                    images[i] = executor.RunPrefix(blobs.Get(sample.BlobHash), sample.SampleId);
                });
                for (var i = 0; i < count; i++)
                {
                    var image = images[i];
                    if (shardLength > 0 && shardLength + image.Pixels.Length > ShardBytes)
                    {
                        output.Dispose();
                        shard++;
                        shardLength = 0;
                        output = new FileStream(Path.Combine(folder, ShardFileName(shard)), FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 20);
                    }

                    var entry = index.AsSpan((start + i) * PreprocessedShards.IndexEntrySize, PreprocessedShards.IndexEntrySize);
                    BinaryPrimitives.WriteInt32LittleEndian(entry, shard);
                    BinaryPrimitives.WriteInt64LittleEndian(entry[4..], shardLength);
                    BinaryPrimitives.WriteInt32LittleEndian(entry[12..], image.Width);
                    BinaryPrimitives.WriteInt32LittleEndian(entry[16..], image.Height);
                    BinaryPrimitives.WriteInt32LittleEndian(entry[20..], image.Channels);
                    output.Write(image.Pixels);
                    shardLength += image.Pixels.Length;
                    bytes += image.Pixels.Length;
                    images[i] = null!;
                }

                progress?.Report(start + count);
            }

            output.Flush(flushToDisk: true);
        }
        finally
        {
            output.Dispose();
        }

        File.WriteAllBytes(Path.Combine(folder, IndexFileName), index);
        var manifest = new ShardCacheManifest(Format, version.Reference, version.ManifestHash, PrefixJson(executor.Spec), samples.Count, shard + 1, bytes,
            DateTimeOffset.UtcNow, clock.Elapsed.TotalSeconds);
        // The manifest is what makes the folder a cache, so it goes in last and durably.
        AtomicFile.WriteAllTextAsync(Path.Combine(folder, ManifestFileName), JsonSerializer.Serialize(manifest, s_json), CancellationToken.None)
            .GetAwaiter().GetResult();
        return manifest;
    }
}
