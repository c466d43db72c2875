using Maas.Core;
using Maas.Core.Datasets;
using Maas.Core.Errors;
using Maas.Datasets;
using Maas.Storage;
using Maas.Testing;
using Maas.Workflows.Datasets;

namespace Maas.Workflows.Tests;

/// <summary><see cref="ImportDataset"/> and <see cref="ShowDataset"/> on real Fashion-MNIST files and generated trees.</summary>
public sealed class ImportDatasetTests : IDisposable
{
    private readonly TempFolder _temp = new();

    [Fact]
    public async Task FashionMnistSubset_BecomesVersionOne_SplitByFractions_WithProgressAndSummary()
    {
        using var stores = MaasStores.Open(new MaasHome(_temp.Combine("home")));
        FashionMnist.WriteSubset(_temp.Combine("idx"), 200, 50, gzip: true);
        var stages = new List<ImportProgress>();

        var result = await new ImportDataset(stores).RunAsync(
            new ImportDatasetRequest(_temp.Combine("idx"), "fashion", new ImportOptions(FashionMnist.ClassNames, [0.8, 0.2, 0.0])),
            new InlineProgress<ImportProgress>(p => { lock (stages) { stages.Add(p); } }), CancellationToken.None);
        var summary = await new ShowDataset(stores).RunAsync(VersionedName.Parse("fashion"), CancellationToken.None);

        Assert.Equal("fashion@1", result.Version.Reference);
        Assert.Equal(250, result.Version.SampleCount);
        Assert.Equal(FashionMnist.ClassNames, result.Version.Classes);
        // IDX files carry their own train/test split; the fractions split the training file into train and validation.
        Assert.Equal(50, result.Counts.Total(Split.Test));
        Assert.Equal(200, result.Counts.Total(Split.Train) + result.Counts.Total(Split.Validation));
        Assert.NotEmpty(stages);
        Assert.Equal((result.Version.Reference, result.Version.ManifestHash), (summary.Version.Reference, summary.Version.ManifestHash));
        Assert.Equal(result.Counts.Total(Split.Train), summary.Counts.Total(Split.Train));
        Assert.Equal((28, 28), (summary.Images.Width.Max, summary.Images.Height.Min));
    }

    [Fact]
    public async Task SecondImportOfAName_IsItsNextVersion_AndAnUnreadableFileIsRejectedNotFatal()
    {
        using var stores = MaasStores.Open(new MaasHome(_temp.Combine("home")));
        var tree = ImageTree.Write(_temp.Combine("tree"), ("train", "cat", 3, 0), ("train", "dog", 3, 100), ("test", "cat", 1, 10), ("test", "dog", 1, 110));
        var import = new ImportDataset(stores);
        await import.RunAsync(new ImportDatasetRequest(tree, "pets", new ImportOptions()), null, CancellationToken.None);
        await File.WriteAllTextAsync(Path.Combine(tree, "train", "dog", "broken.png"), "not an image");

        var second = await import.RunAsync(new ImportDatasetRequest(tree, "pets", new ImportOptions()), null, CancellationToken.None);

        Assert.Equal("pets@2", second.Version.Reference);
        Assert.Equal(8, second.Version.SampleCount);
        var rejected = Assert.Single(second.Rejections);
        Assert.EndsWith("broken.png", rejected.Path, StringComparison.Ordinal);
        Assert.True(File.Exists(second.RejectionReportPath));
        await Assert.ThrowsAsync<InvalidInputException>(() =>
            import.RunAsync(new ImportDatasetRequest(_temp.Combine("tree", "train", "cat", "0.png"), "single", new ImportOptions()), null, CancellationToken.None));
    }

    public void Dispose() => _temp.Dispose();
}
