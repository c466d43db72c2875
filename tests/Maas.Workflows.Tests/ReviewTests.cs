using Maas.Analysis;
using Maas.Analysis.Reports;
using Maas.Analysis.Review;
using Maas.Core;
using Maas.Core.Errors;
using Maas.Datasets;
using Maas.Storage;
using Maas.Testing;
using Maas.Workflows.Analysis;
using Maas.Workflows.Datasets;

namespace Maas.Workflows.Tests;

/// <summary>
/// <see cref="AnalyzeDataset"/> then <see cref="WriteReview"/> then <see cref="ApplyReview"/>: the flagged samples of
/// a real Fashion-MNIST subset, reviewed, become a new version.
/// </summary>
public sealed class ReviewTests : IDisposable
{
    private readonly TempFolder _temp = new();

    [Fact]
    public async Task AnalyzeWriteAndApply_RemovesAndRelabelsTheReviewedSamplesOnly()
    {
        using var stores = MaasStores.Open(new MaasHome(_temp.Combine("home")));
        FashionMnist.WriteSubset(_temp.Combine("idx"), 80, 20, gzip: true);
        await new ImportDataset(stores).RunAsync(new ImportDatasetRequest(_temp.Combine("idx"), "fm", new ImportOptions(FashionMnist.ClassNames)), null,
            CancellationToken.None);
        var fm = VersionedName.Parse("fm@1");
        var request = new AnalyzeDatasetRequest(fm, new AnalysisOptions(Embeddings: false)) { CopyTo = _temp.Combine("out") };

        var analyzed = await new AnalyzeDataset(stores).RunAsync(request, null, CancellationToken.None);
        var cached = await new AnalyzeDataset(stores).RunAsync(request with { CopyTo = null }, null, CancellationToken.None);

        Assert.Equal((false, true), (analyzed.Cached, cached.Cached));
        Assert.Equal(100, analyzed.Report.SampleCount);
        Assert.Equal(100, analyzed.Report.Anomalies.Counts[IssueKind.Grayscale]);
        Assert.Equal(_temp.Combine("out", ReportCache.JsonFileName), analyzed.JsonPath);
        Assert.True(File.Exists(analyzed.HtmlPath) && File.Exists(cached.JsonPath));

        var review = _temp.Combine("review.csv");
        await Assert.ThrowsAsync<InvalidInputException>(() =>
            new WriteReview().RunAsync(new WriteReviewRequest(analyzed.JsonPath, review, VersionedName.Parse("other@1")), CancellationToken.None));
        var written = await new WriteReview().RunAsync(new WriteReviewRequest(analyzed.JsonPath, review, fm), CancellationToken.None);
        var rows = await ReviewFile.ReadAsync(review, CancellationToken.None);
        Assert.Equal(("fm@1", rows.Count, rows.Select(r => r.SampleId).Distinct().Count()), (written.Dataset, written.Rows, written.Samples));
        Assert.True(written.Samples >= 2, "the low-information Fashion-MNIST images are flagged");

        // The reviewer removes the first flagged sample, relabels the second as a Bag, and keeps the rest.
        var first = rows[0].SampleId;
        var second = rows.First(r => r.SampleId != first).SampleId;
        var edited = rows.Select(r => r with { Action = r.SampleId == first ? "remove" : r.SampleId == second ? "relabel:Bag" : "keep" }).ToArray();
        await ReviewFile.WriteAsync(review, edited, CancellationToken.None);
        await Assert.ThrowsAsync<InvalidInputException>(() =>
            new ApplyReview(stores).RunAsync(new ApplyReviewRequest(review, VersionedName.Parse("fm@2")), CancellationToken.None));

        var fixedVersion = await new ApplyReview(stores).RunAsync(new ApplyReviewRequest(review, fm), CancellationToken.None);

        Assert.Equal(("fm@1", "fm@2", 99, 1, 1), (fixedVersion.From, fixedVersion.Version.Reference, fixedVersion.Version.SampleCount,
            fixedVersion.Removed, fixedVersion.Relabelled));
        var samples = (await stores.Datasets.GetSamplesAsync("fm", 2, CancellationToken.None)).ToDictionary(s => s.SampleId);
        Assert.DoesNotContain(first, samples.Keys);
        Assert.Equal(Array.IndexOf(FashionMnist.ClassNames, "Bag"), samples[second].Label);
        var before = (await stores.Datasets.GetSamplesAsync("fm", 1, CancellationToken.None)).Where(s => s.SampleId != first && s.SampleId != second);
        Assert.All(before, s => Assert.Equal(s, samples[s.SampleId]));
    }

    [Fact]
    public async Task WriteReview_OfAMissingReport_IsNotFound()
    {
        await Assert.ThrowsAsync<NotFoundException>(() =>
            new WriteReview().RunAsync(new WriteReviewRequest(_temp.Combine("none.json"), _temp.Combine("r.csv")), CancellationToken.None));
    }

    public void Dispose() => _temp.Dispose();
}
