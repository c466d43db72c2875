using Maas.Analysis.Reports;
using Maas.Analysis.Review;
using Maas.Core;
using Maas.Core.Datasets;
using Maas.Storage;
using Maas.Testing;

namespace Maas.Analysis.Tests;

/// <summary>Analyses without embeddings of small generated datasets whose issues are planted.</summary>
public sealed class AnalyzerTests : IDisposable
{
    private readonly TempFolder _temp = new();

    private async Task<(MaasStores Stores, DatasetVersion Version)> PlantedAsync()
    {
        var stores = TestData.OpenStores(_temp.Combine("home"));
        var images = new List<(string, byte[], int, Split)>();
        for (var i = 0; i < 40; i++)
        {
            var (pixels, label) = FashionMnist.TestImage(100 + i);
            images.Add(($"ok/{i:00}", TestData.Png(pixels, 28, 28), label % 2, i % 5 == 0 ? Split.Test : Split.Train));
        }

        var (a, _) = FashionMnist.TestImage(1);
        var (b, _) = FashionMnist.TestImage(2);
        var (c, _) = FashionMnist.TestImage(3);
        images.Add(("dup/gray", TestData.Png(a, 28, 28), 0, Split.Train));
        images.Add(("dup/rgb", TestData.RgbPng(a, 28, 28), 0, Split.Train));
        images.Add(("near/original", TestData.Png(b, 28, 28), 1, Split.Train));
        images.Add(("near/jpeg", TestData.ResizedJpeg(b, 28, 28, 2), 1, Split.Train));
        images.Add(("leak/train", TestData.Png(c, 28, 28), 0, Split.Train));
        images.Add(("leak/test", TestData.RgbPng(c, 28, 28), 0, Split.Test));
        images.Add(("flat", TestData.Png(Enumerable.Repeat((byte)200, 784).ToArray(), 28, 28), 1, Split.Train));
        images.Add(("dark", TestData.Png(TestData.Texture(28, 28, 9, 0, 0, 40), 28, 28), 1, Split.Train));
        return (stores, await TestData.CommitAsync(stores, "planted", ["even", "odd"], images));
    }

    private static Task<AnalysisResult> AnalyzeAsync(MaasStores stores, DatasetVersion version) =>
        new DatasetAnalyzer(stores.Datasets, stores.Blobs).AnalyzeAsync(new VersionedName(version.Name, version.Version, null),
            new AnalysisOptions(Embeddings: false), null, CancellationToken.None);

    [Fact]
    public async Task Analyze_FindsPlantedDuplicatesLeakageAndQualityIssues()
    {
        var (stores, version) = await PlantedAsync();
        using var _ = stores;
        var report = (await AnalyzeAsync(stores, version)).Report;
        var issues = report.Anomalies.Issues;

        var exact = Assert.Single(report.Anomalies.ExactDuplicates, g => !g.CrossesSplits);
        Assert.Equal(["dup/gray", "dup/rgb"], exact.SampleIds);
        Assert.Contains(issues, i => i.SampleId == "dup/rgb" && i.Issue == IssueKind.ExactDuplicate && i.Action == "remove");

        var leak = Assert.Single(report.Anomalies.ExactDuplicates, g => g.CrossesSplits);
        Assert.Equal(["leak/train", "leak/test"], leak.SampleIds);
        Assert.Contains(issues, i => i.SampleId == "leak/train" && i.Issue == IssueKind.Leakage && i.Action == "remove");
        Assert.Contains(issues, i => i.SampleId == "leak/test" && i.Action == "keep");

        Assert.Contains(report.Anomalies.NearDuplicates, g => g.SampleIds.SequenceEqual(["near/original", "near/jpeg"]));
        Assert.Contains(issues, i => i.SampleId == "flat" && i.Issue == IssueKind.LowInformation);
        Assert.Contains(issues, i => i.SampleId == "dark" && i.Issue == IssueKind.Dark);
        // Every image is grayscale: counted, but too common to list.
        Assert.Contains(IssueKind.Grayscale, report.Anomalies.Suppressed);
        Assert.DoesNotContain(issues, i => i.Issue == IssueKind.Grayscale);
        Assert.Equal(48, report.Anomalies.Counts[IssueKind.Grayscale]);
        // The embedding checks, and label issues, whose default model is a regression on the embeddings.
        Assert.Equal(2, report.Anomalies.Skipped.Count);
        Assert.All(report.Anomalies.Skipped, s => Assert.Contains("(--no-embeddings)", s, StringComparison.Ordinal));
        Assert.Null(report.Anomalies.LabelModel);
    }

    [Fact]
    public async Task Analyze_DescribesCountsChannelStatisticsAndShift()
    {
        var (stores, version) = await PlantedAsync();
        using var _ = stores;
        var samples = await stores.Datasets.GetSamplesAsync(version.Name, version.Version, CancellationToken.None);
        var report = (await AnalyzeAsync(stores, version)).Report;
        var d = report.Descriptive;

        var totals = new[] { samples.Count(s => s.Label == 0), samples.Count(s => s.Label == 1) };
        Assert.Equal(totals, d.ClassTotals);
        Assert.Equal((double)totals.Max() / totals.Min(), d.ImbalanceRatio, 12);
        Assert.Equal(samples.Count(s => s.Split == Split.Test), d.ClassCounts["test"].Sum());

        // Channel statistics over train pixels, against a direct computation from the decoded pixels.
        var values = samples.Where(s => s.Split == Split.Train)
            .SelectMany(s => Maas.Imaging.ImageDecoder.Decode(stores.Blobs.Get(s.BlobHash), Maas.Core.Pipelines.ColorMode.Gray, null, s.SampleId).Pixels)
            .Select(v => v / 255.0).ToArray();
        var mean = values.Average();
        Assert.Single(d.TrainChannelStatistics.Mean);
        Assert.Equal(mean, d.TrainChannelStatistics.Mean[0], 9);
        Assert.Equal(Math.Sqrt(values.Average(v => (v - mean) * (v - mean))), d.TrainChannelStatistics.Std[0], 9);

        Assert.Equal("test", report.Relations.ShiftSplit);
        Assert.Equal(4, report.Relations.Shift.Count);
        Assert.Equal(4, report.Relations.Correlation.Length);
        Assert.All(report.Relations.Correlation.Select((row, i) => row[i]), v => Assert.Equal(1, v));
        Assert.Null(report.Relations.EmbeddingShift);
    }

    [Fact]
    public async Task Report_RoundTripsAsJson_AndItsHtmlMakesNoExternalRequests()
    {
        var (stores, version) = await PlantedAsync();
        using var _ = stores;
        var result = await AnalyzeAsync(stores, version);
        var cache = new ReportCache(new MaasHome(_temp.Combine("home")));
        var folder = await cache.SaveAsync(result, CancellationToken.None);

        var html = await File.ReadAllTextAsync(Path.Combine(folder, ReportCache.HtmlFileName));
        Assert.DoesNotContain("http://", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("https://", html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("data:image/png;base64,", html, StringComparison.Ordinal);
        Assert.Contains("<svg", html, StringComparison.Ordinal);

        var loaded = cache.TryLoad(version.Reference, new AnalysisOptions(Embeddings: false));
        Assert.NotNull(loaded);
        Assert.Equal(result.Report.Anomalies.Issues, loaded.Anomalies.Issues);
        Assert.Null(cache.TryLoad(version.Reference, new AnalysisOptions(Embeddings: true)));
        Assert.Empty(Directory.GetDirectories(Path.GetDirectoryName(folder)!, ".*"));
    }

    [Fact]
    public async Task Fix_RoundTrip_RemovesAndRelabelsWhatTheEditedReviewSays()
    {
        var (stores, version) = await PlantedAsync();
        using var _ = stores;
        var report = (await AnalyzeAsync(stores, version)).Report;
        var csv = _temp.Combine("review.csv");
        await ReviewFile.WriteAsync(csv, ReviewFile.RowsOf(report), CancellationToken.None);

        // The reviewer keeps the proposals, and relabels the dark image by hand, with a comma in the detail to test quoting.
        var rows = (await ReviewFile.ReadAsync(csv, CancellationToken.None)).ToList();
        Assert.Equal(ReviewFile.RowsOf(report), rows);
        rows = rows.Select(r => r.SampleId == "dark" ? r with { Action = "relabel:even", Detail = "too dark, but \"even\"" } : r).ToList();
        await ReviewFile.WriteAsync(csv, rows, CancellationToken.None);

        var fixedVersion = await DatasetFix.ApplyAsync(stores.Datasets, await ReviewFile.ReadAsync(csv, CancellationToken.None), csv, CancellationToken.None);
        var before = await stores.Datasets.GetSamplesAsync(version.Name, version.Version, CancellationToken.None);
        var after = await stores.Datasets.GetSamplesAsync(version.Name, fixedVersion.Version.Version, CancellationToken.None);
        var diff = DatasetDiff.Compute(version, before, fixedVersion.Version, after);

        var removed = rows.Where(r => r.Action == "remove").Select(r => r.SampleId).Distinct().Order().ToArray();
        Assert.Equal(["dup/rgb", "flat", "leak/train"], removed);
        Assert.Equal(removed, diff.Removed.Select(r => r.SampleId).Order());
        var relabelled = Assert.Single(diff.Relabelled);
        Assert.Equal(("dark", "odd", "even"), (relabelled.SampleId, relabelled.Before!.ClassName, relabelled.After!.ClassName));
        Assert.Empty(diff.Added);
        Assert.Equal((3, 1), (fixedVersion.Removed, fixedVersion.Relabelled));
    }

    [Fact]
    public async Task Fix_WithAnUnknownClass_IsRefusedAndCommitsNothing()
    {
        var (stores, version) = await PlantedAsync();
        using var _ = stores;
        var rows = new[] { new ReviewRow(version.Reference, "dark", "p", "train", "odd", "dark", 0.1, "relabel:cat", "") };
        await Assert.ThrowsAsync<Maas.Core.Errors.InvalidInputException>(() => DatasetFix.ApplyAsync(stores.Datasets, rows, "review.csv", CancellationToken.None));
        Assert.Single(await stores.Datasets.ListVersionsAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Analyze_WhenCancelled_ThrowsAndTheCacheHasNoReport()
    {
        var (stores, version) = await PlantedAsync();
        using var _ = stores;
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();
        var samples = await stores.Datasets.GetSamplesAsync(version.Name, version.Version, CancellationToken.None);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => new DatasetAnalyzer(stores.Datasets, stores.Blobs)
            .AnalyzeAsync(version, samples, new AnalysisOptions(Embeddings: false), null, cts.Token));
        Assert.Null(new ReportCache(new MaasHome(_temp.Combine("home"))).TryLoad(version.Reference, new AnalysisOptions(Embeddings: false)));
    }

    public void Dispose() => _temp.Dispose();
}
