using Maas.Core;
using Maas.Core.Datasets;
using Maas.Core.Errors;
using Maas.Datasets;
using Maas.Imaging;
using Maas.Storage;
using Maas.Storage.Locking;

namespace Maas.Workflows.Preprocessing;

/// <summary>Renders a pipeline's contact sheet: per training image, the serving view, then training augmentations.</summary>
/// <param name="stores">The stores the version and its images are read from.</param>
public sealed class PreviewPipeline(MaasStores stores)
{
    /// <summary>Picks <see cref="PreviewPipelineRequest.Samples"/> training images by seed and writes their contact sheet as PNG.</summary>
    /// <param name="request">The version, the pipeline, the file and the sheet's size and seed.</param>
    /// <param name="cancellationToken">Cancels the reads and the write.</param>
    /// <returns>The PNG written and the samples it shows.</returns>
    /// <exception cref="InvalidInputException">The sheet's size is out of range, or the version has no training images.</exception>
    /// <exception cref="NotFoundException">No such dataset version.</exception>
    public async Task<PreviewPipelineResult> RunAsync(PreviewPipelineRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        // Shared: it reads images that a dataset removal or gc (exclusive) may delete.
        using var homeLock = await HomeLock.AcquireSharedAsync(stores.Home, $"previewing a pipeline on {request.Dataset}", cancellationToken);
        if (request.Samples is < 1 or > 64)
        {
            throw new InvalidInputException($"--samples {request.Samples}: show between 1 and 64 images.");
        }

        if (request.Variants is < 0 or > 32)
        {
            throw new InvalidInputException($"--variants {request.Variants}: show between 0 and 32 augmentations.");
        }

        var spec = request.Pipeline;
        if (spec.HasAutoNormalization)
        {
            // The sheet undoes the normalization to show pixels, so any fixed statistics look the same.
            spec = spec.ResolveNormalization([0.5f], [0.5f]);
        }

        var executor = new PipelineExecutor(spec);
        var version = await stores.Datasets.GetVersionAsync(request.Dataset, cancellationToken);
        var samples = (await stores.Datasets.GetSamplesAsync(version.Name, version.Version, cancellationToken)).Where(s => s.Split == Split.Train).ToList();
        if (samples.Count == 0)
        {
            throw new InvalidInputException($"dataset {version.Reference} has no training images to preview.");
        }

        var picked = samples.OrderBy(s => StratifiedSplit.Key((int)request.Seed, s.SampleId)).Take(request.Samples).ToList();
        var images = new List<(byte[], string)>();
        foreach (var sample in picked)
        {
            images.Add((await stores.Blobs.GetAsync(sample.BlobHash, cancellationToken), sample.SampleId));
        }

        var png = PipelinePreview.RenderPng(executor, images, request.Variants, (ulong)request.Seed);
        var path = Path.GetFullPath(request.Output);
        await AtomicFile.WriteAllBytesAsync(path, png, cancellationToken);
        return new PreviewPipelineResult(path, picked.Select(s => s.SampleId).ToArray(), request.Variants);
    }
}
