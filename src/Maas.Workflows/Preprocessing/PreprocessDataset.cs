using Maas.Core;
using Maas.Datasets.Preprocessing;
using Maas.Imaging;
using Maas.Storage;
using Maas.Storage.Locking;

namespace Maas.Workflows.Preprocessing;

/// <summary>Decodes a dataset version and runs a pipeline's deterministic prefix over it once, into the shard cache training reads.</summary>
/// <param name="stores">The stores the version and its images are read from; the cache lives in their home.</param>
public sealed class PreprocessDataset(MaasStores stores)
{
    /// <summary>The stage name progress reports use.</summary>
    public const string Stage = "preprocessing";

    /// <summary>Builds the cache of <see cref="PreprocessDatasetRequest.Dataset"/> through the pipeline's prefix, or reuses an existing one.</summary>
    /// <param name="request">The version, the pipeline and whether to rebuild.</param>
    /// <param name="progress">Receives images preprocessed, if given.</param>
    /// <param name="cancellationToken">Cancels the build; no partial cache is kept.</param>
    /// <returns>The cache's folder and manifest.</returns>
    /// <exception cref="Maas.Core.Errors.NotFoundException">No such dataset version.</exception>
    public async Task<PreprocessDatasetResult> RunAsync(PreprocessDatasetRequest request, IProgress<StageProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        // Shared: it reads images that a dataset removal or gc (exclusive) may delete.
        using var homeLock = await HomeLock.AcquireSharedAsync(stores.Home, $"preprocessing {request.Dataset}", cancellationToken);
        var spec = request.Pipeline;
        var version = await stores.Datasets.GetVersionAsync(request.Dataset, cancellationToken);
        var samples = await stores.Datasets.GetSamplesAsync(version.Name, version.Version, cancellationToken);
        var count = samples.Count;
        using var shards = await new ShardCache(stores.Home.PreprocessedCachePath).OpenOrBuildAsync(version, samples, new PipelineExecutor(spec), stores.Blobs,
            request.Force, progress is null ? null : new InlineProgress<int>(n => progress.Report(new StageProgress(Stage, n, count))), cancellationToken);
        return new PreprocessDatasetResult(version.Reference, shards.Folder, shards.Reused, shards.Manifest, spec.DeterministicPrefixLength, spec.Ops.Count);
    }
}
