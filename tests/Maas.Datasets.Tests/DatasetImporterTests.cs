using Maas.Core;
using Maas.Core.Datasets;
using Maas.Core.Errors;
using Maas.Testing;

namespace Maas.Datasets.Tests;

public sealed class DatasetImporterTests : ImportTestBase
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Import_FashionMnistIdx_KeepsSplitsLabelsAndClassNames(bool gzip)
    {
        var source = Temp.Combine("idx");
        FashionMnist.WriteSubset(source, 300, 100, gzip);

        var result = await Importer.ImportAsync(source, "fashion", new ImportOptions(FashionMnist.ClassNames), null, CancellationToken.None);

        Assert.Equal("fashion@1", result.Version.Reference);
        Assert.Equal(FashionMnist.ClassNames, result.Version.Classes);
        Assert.Equal(300 - result.DuplicatesDropped, result.Counts.Total(Split.Train));
        Assert.Equal(100, result.Counts.Total(Split.Test));
        Assert.Empty(result.Rejections);
        var samples = await Stores.Datasets.GetSamplesAsync("fashion", 1, CancellationToken.None);
        var first = samples.Single(s => s.SampleId == "test/00000");
        var (pixels, label) = FashionMnist.TestImage(0);
        Assert.Equal(label, first.Label);
        Assert.Equal((28, 28, 1, "png"), (first.Width, first.Height, first.Channels, first.Format));
        var decoded = Imaging.ImageDecoder.Decode(await Stores.Blobs.GetAsync(first.BlobHash, CancellationToken.None), Core.Pipelines.ColorMode.Gray, null, "blob");
        Assert.Equal(pixels, decoded.Pixels);
    }

    [Fact]
    public async Task Import_IdxWithoutClassNames_NamesClassesByNumber()
    {
        var source = Temp.Combine("idx");
        FashionMnist.WriteSubset(source, 200, 50, gzip: true);

        var result = await Importer.ImportAsync(source, "fashion", null, null, CancellationToken.None);

        Assert.Equal(Enumerable.Range(0, 10).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)), result.Version.Classes);
    }

    [Fact]
    public async Task Import_FolderTree_RejectsCorruptFilesKeepsOthersAndDropsDuplicates()
    {
        var root = Temp.Combine("tree");
        for (var i = 0; i < 20; i++)
        {
            Write(root, "red", $"r{i}.png", TestImages.GradientRgbPng(8, 8, (byte)i));
            Write(root, "blue", $"b{i}.png", TestImages.GradientRgbPng(8, 8, (byte)(100 + i)));
        }

        Write(root, "red", "copy.png", TestImages.GradientRgbPng(8, 8, 0));
        Write(root, "blue", "conflict.png", TestImages.GradientRgbPng(8, 8, 1));
        Write(root, "blue", "notes.png", "not an image"u8.ToArray());
        Write(root, "blue", "empty.jpg", []);

        var result = await Importer.ImportAsync(root, "colors", null, null, CancellationToken.None);

        Assert.Equal(["blue", "red"], result.Version.Classes);
        Assert.Equal(40, result.Version.SampleCount);
        Assert.Equal(2, result.DuplicatesDropped);
        Assert.Contains(result.Rejections, r => r.Path == Path.Combine("blue", "notes.png") && r.Reason.StartsWith("not a PNG", StringComparison.Ordinal));
        Assert.Contains(result.Rejections, r => r.Path == Path.Combine("blue", "empty.jpg") && r.Reason == "the file is empty.");
        // Files are taken in ordinal path order, so blue/conflict.png is kept and red/r1.png reported against it.
        Assert.Contains(result.Rejections, r => r.Path == Path.Combine("red", "r1.png") && r.Reason.StartsWith("label conflict", StringComparison.Ordinal)
            && r.Reason.Contains("conflict.png", StringComparison.Ordinal));
        // Stratified 0.8/0.1/0.1 per class of 20.
        Assert.Equal((32, 4, 4), (result.Counts.Total(Split.Train), result.Counts.Total(Split.Validation), result.Counts.Total(Split.Test)));
    }

    [Fact]
    public async Task Import_SameFolderTwice_GivesSameSplitsAndNextVersion()
    {
        var root = Temp.Combine("tree");
        for (var i = 0; i < 30; i++)
        {
            Write(root, i % 2 == 0 ? "even" : "odd", $"{i}.png", TestImages.GradientRgbPng(6, 6, (byte)i));
        }

        var first = await Importer.ImportAsync(root, "numbers", null, null, CancellationToken.None);
        var second = await Importer.ImportAsync(root, "numbers", null, null, CancellationToken.None);

        Assert.Equal(2, second.Version.Version);
        Assert.Equal(first.Version.ManifestHash, second.Version.ManifestHash);
    }

    [Fact]
    public async Task Import_SplitFolders_KeepsTheSourceSplits()
    {
        var root = Temp.Combine("tree");
        Write(root, Path.Combine("train", "a"), "1.png", TestImages.GradientRgbPng(4, 4, 1));
        Write(root, Path.Combine("val", "a"), "2.png", TestImages.GradientRgbPng(4, 4, 2));
        Write(root, Path.Combine("test", "b"), "3.png", TestImages.GradientRgbPng(4, 4, 3));

        var result = await Importer.ImportAsync(root, "tiny", null, null, CancellationToken.None);

        Assert.Equal((1, 1, 1), (result.Counts.Total(Split.Train), result.Counts.Total(Split.Validation), result.Counts.Total(Split.Test)));
        Assert.Equal(["a", "b"], result.Version.Classes);
    }

    [Fact]
    public async Task Import_MissingPath_ThrowsNotFoundNamingIt()
    {
        var error = await Assert.ThrowsAsync<NotFoundException>(() => Importer.ImportAsync("/no/such/place", "x", null, null, CancellationToken.None));

        Assert.Equal("/no/such/place: no such file or folder.", error.Message);
    }

    [Fact]
    public async Task Import_Cancelled_LeavesNoVersion()
    {
        var source = Temp.Combine("idx");
        FashionMnist.WriteSubset(source, 2000, 10, gzip: false);
        using var cancel = new CancellationTokenSource();
        var progress = new InlineProgress<ImportProgress>(p => { if (p.Done > 0) { cancel.Cancel(); } });

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Importer.ImportAsync(source, "fashion", null, progress, cancel.Token));

        Assert.Empty(await Stores.Datasets.ListVersionsAsync(CancellationToken.None));
    }

    private static void Write(string root, string folder, string name, byte[] bytes)
    {
        Directory.CreateDirectory(Path.Combine(root, folder));
        File.WriteAllBytes(Path.Combine(root, folder, name), bytes);
    }
}
