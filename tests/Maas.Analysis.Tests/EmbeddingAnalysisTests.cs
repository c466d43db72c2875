using Maas.Analysis.Reports;

namespace Maas.Analysis.Tests;

public sealed class EmbeddingAnalysisTests(EmbeddingAnalysisFixture fixture) : IClassFixture<EmbeddingAnalysisFixture>
{
    [Fact]
    public void PlantedPhotographs_AreAmongTheOutliers()
    {
        var outliers = fixture.Result.Report.Anomalies.Issues.Where(i => i.Issue == IssueKind.Outlier).Select(i => i.SampleId).ToArray();
        Assert.Equal(10, outliers.Length);
        Assert.All(Enumerable.Range(0, EmbeddingAnalysisFixture.Photos.Length), p => Assert.True(outliers.Contains($"photo/{p}"),
            string.Join(", ", fixture.Result.Report.Anomalies.Issues.Where(i => i.Issue == IssueKind.Outlier).Select(i => $"{i.SampleId} {i.Score}"))));
    }

    [Fact]
    public void PlantedLabelFlips_AreMostlyAmongTheTopRankedLabelIssues()
    {
        var ranked = fixture.Result.Report.Anomalies.Issues.Where(i => i.Issue == IssueKind.LabelIssue).ToArray();
        Assert.Equal(ranked.OrderBy(i => i.Score).Select(i => i.SampleId), ranked.Select(i => i.SampleId));
        var top = ranked.Take(2 * fixture.Flipped.Count).Select(i => i.SampleId).ToHashSet();
        var found = fixture.Flipped.Count(top.Contains);
        Assert.True(found > fixture.Flipped.Count / 2, $"{found} of {fixture.Flipped.Count} flips among the top {top.Count}: {string.Join(", ", ranked.Take(30).Select(r => r.SampleId))}");
        Assert.All(ranked, i => Assert.StartsWith("relabel:", i.Action, StringComparison.Ordinal));
    }

    [Fact]
    public void ResizedJpegCopy_IsANearDuplicateOfItsOriginal()
    {
        Assert.Contains(fixture.Result.Report.Anomalies.NearDuplicates, g => g.SampleIds.Contains("fm/007") && g.SampleIds.Contains("copy/007"));
    }

    [Fact]
    public void Relations_WithEmbeddings_HaveClassSimilarityAndEmbeddingShift()
    {
        var relations = fixture.Result.Report.Relations;
        var similarity = Assert.IsType<double[][]>(relations.ClassSimilarity);
        Assert.Equal(10, similarity.Length);
        Assert.All(Enumerable.Range(0, 10), c => Assert.Equal(1, similarity[c][c], 4));
        var mmd = Assert.IsType<Statistics.MmdResult>(relations.EmbeddingShift);
        // Test is every fifth image of one shuffled source: no real shift to find.
        Assert.True(mmd.PValue > 0.01, $"p = {mmd.PValue}");
        Assert.Empty(fixture.Result.Report.Anomalies.Skipped);
    }
}
