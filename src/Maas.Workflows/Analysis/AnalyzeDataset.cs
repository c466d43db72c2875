using Maas.Analysis;
using Maas.Analysis.LabelIssues;
using Maas.Analysis.Reports;
using Maas.Inference;
using Maas.Storage;
using Maas.Workflows.CrossValidation;

namespace Maas.Workflows.Analysis;

/// <summary>
/// Analyzes a dataset version (class balance, image statistics, relations, quality issues, duplicates, leakage,
/// outliers, likely label errors) into report.json and report.html, reusing the cached report made with the same options.
/// </summary>
/// <param name="stores">The stores the version and its images are read from; the report cache lives in their home.</param>
public sealed class AnalyzeDataset(MaasStores stores)
{
    /// <summary>Analyzes <see cref="AnalyzeDatasetRequest.Dataset"/>, or loads its cached report, and copies the report if asked.</summary>
    /// <param name="request">The version, the options, the label model and where to copy the report.</param>
    /// <param name="progress">Receives each analysis stage's progress, if given.</param>
    /// <param name="cancellationToken">Cancels the analysis; no report is cached.</param>
    /// <returns>The report, whether it was cached, and its files.</returns>
    /// <exception cref="Maas.Core.Errors.NotFoundException">No such dataset version.</exception>
    public async Task<AnalyzeDatasetResult> RunAsync(AnalyzeDatasetRequest request, IProgress<AnalysisProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        IOutOfFoldClassifier? classifier = request.LabelCnn is { } cnn ? new KFoldTrainer(stores.Blobs, cnn) : null;
        var options = request.Options with { LabelModel = classifier?.Name ?? EmbeddingRegression.ModelName };
        var version = await stores.Datasets.GetVersionAsync(request.Dataset, cancellationToken);
        var cache = new ReportCache(stores.Home);
        var report = request.Force ? null : cache.TryLoad(version.Reference, options);
        var cached = report is not null;
        if (report is null)
        {
            var samples = await stores.Datasets.GetSamplesAsync(version.Name, version.Version, cancellationToken);
            var analyzer = new DatasetAnalyzer(stores, classifier,
                (side, batch) => new ResNetEmbedder(batch: batch, side: side));
            var result = await analyzer.AnalyzeAsync(version, samples, options, progress, cancellationToken);
            await cache.SaveAsync(result, cancellationToken);
            report = result.Report;
        }

        var folder = cache.FolderOf(version.Reference);
        if (request.CopyTo is { } target)
        {
            await cache.CopyToAsync(version.Reference, target, cancellationToken);
            folder = Path.GetFullPath(target);
        }

        return new AnalyzeDatasetResult(report, cached, Path.Combine(folder, ReportCache.JsonFileName), Path.Combine(folder, ReportCache.HtmlFileName));
    }
}
