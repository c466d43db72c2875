using System.Text.Json;
using Maas.Imaging;
using Maas.Testing;

namespace Maas.Datasets.Tests;

public sealed class DatasetVersioningTests : ImportTestBase
{
    private static void Write(string root, string folder, string name, byte[] bytes)
    {
        Directory.CreateDirectory(Path.Combine(root, folder));
        File.WriteAllBytes(Path.Combine(root, folder, name), bytes);
    }

    [Fact]
    public async Task Reimport_IdxWithoutClassNames_KeepsTheNamesTheDatasetHas()
    {
        var source = Temp.Combine("idx");
        FashionMnist.WriteSubset(source, 100, 20, gzip: true);
        await Importer.ImportAsync(source, "fashion", new ImportOptions(FashionMnist.ClassNames), null, CancellationToken.None);

        var second = await Importer.ImportAsync(source, "fashion", null, null, CancellationToken.None);

        Assert.Equal("fashion@2", second.Version.Reference);
        Assert.Equal(FashionMnist.ClassNames, second.Version.Classes);
    }

    [Fact]
    public async Task Reimport_WithANewClass_KeepsOldOrderAndAppendsIt()
    {
        var root = Temp.Combine("tree");
        for (var i = 0; i < 5; i++)
        {
            Write(root, "zebra", $"z{i}.png", TestImages.GradientRgbPng(4, 4, (byte)i));
            Write(root, "ant", $"a{i}.png", TestImages.GradientRgbPng(4, 4, (byte)(50 + i)));
        }

        var first = await Importer.ImportAsync(root, "animals", null, null, CancellationToken.None);
        Write(root, "bee", "b0.png", TestImages.GradientRgbPng(4, 4, 100));
        Write(root, "aardvark", "x0.png", TestImages.GradientRgbPng(4, 4, 101));

        var second = await Importer.ImportAsync(root, "animals", null, null, CancellationToken.None);

        Assert.Equal(["ant", "zebra"], first.Version.Classes);
        Assert.Equal(["ant", "zebra", "aardvark", "bee"], second.Version.Classes);
        var samples = await Stores.Datasets.GetSamplesAsync("animals", 2, CancellationToken.None);
        Assert.Equal(1, samples.Single(s => s.SampleId == Path.Combine("zebra", "z0.png")).Label);
    }

    [Fact]
    public async Task Import_AlwaysWritesARejectionReport()
    {
        var root = Temp.Combine("tree");
        Write(root, "a", "ok.png", TestImages.FlatGrayPng(3, 3, 1));
        Write(root, "a", "bad.jpg", "text named .jpg"u8.ToArray());

        var result = await Importer.ImportAsync(root, "small", null, null, CancellationToken.None);

        Assert.Equal(Stores.Home.Root, Path.GetFullPath(Path.Combine(result.RejectionReportPath, "..", "..", "..")));
        using var report = JsonDocument.Parse(File.ReadAllText(result.RejectionReportPath));
        Assert.Equal(1, report.RootElement.GetProperty("rejected").GetInt32());
        Assert.Equal(Path.Combine("a", "bad.jpg"), report.RootElement.GetProperty("rejections")[0].GetProperty("path").GetString());
    }

    [Fact]
    public async Task Import_OversizeFileAndPixelBomb_AreRejectedOneByOne()
    {
        var root = Temp.Combine("tree");
        Write(root, "a", "ok.png", TestImages.FlatGrayPng(3, 3, 1));
        var noise = new byte[64 * 64 * 3];
        new Random(1).NextBytes(noise);
        Write(root, "a", "big.png", ImageEncoder.EncodePng(noise, 64, 64, 3));
        Write(root, "a", "bomb.png", TestImages.PixelBombPng(30000, 30000));
        var limits = new DecodeLimits(MaxBytes: 1000, MaxPixels: 1_000_000);

        var result = await Importer.ImportAsync(root, "limits", new ImportOptions(Limits: limits), null, CancellationToken.None);

        Assert.Equal(1, result.Version.SampleCount);
        Assert.Contains(result.Rejections, r => r.Path.EndsWith("big.png", StringComparison.Ordinal) && r.Reason.Contains("over the limit of 1000 bytes", StringComparison.Ordinal));
        Assert.Contains(result.Rejections, r => r.Path.EndsWith("bomb.png", StringComparison.Ordinal) && r.Reason.Contains("30000x30000 is over the limit", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Import_SymlinkOutOfTheTree_IsRefused()
    {
        var root = Temp.Combine("tree");
        Write(root, "a", "ok.png", TestImages.FlatGrayPng(3, 3, 1));
        var outside = Temp.Combine("secret.png");
        File.WriteAllBytes(outside, TestImages.FlatGrayPng(3, 3, 2));
        File.CreateSymbolicLink(Path.Combine(root, "a", "link.png"), outside);
        Directory.CreateSymbolicLink(Path.Combine(root, "a", "etc"), "/etc");

        var result = await Importer.ImportAsync(root, "links", null, null, CancellationToken.None);

        Assert.Equal(1, result.Version.SampleCount);
        Assert.Contains(result.Rejections, r => r.Path == Path.Combine("a", "link.png") && r.Reason.Contains("outside the source tree", StringComparison.Ordinal));
        Assert.Contains(result.Rejections, r => r.Path == Path.Combine("a", "etc") && r.Reason.Contains("outside the source tree", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Import_ExactDuplicatesAcrossSplits_KeepOneCopyInOneSplit()
    {
        var root = Temp.Combine("tree");
        var image = TestImages.GradientRgbPng(5, 5, 7);
        Write(root, Path.Combine("train", "a"), "1.png", image);
        Write(root, Path.Combine("test", "a"), "copy.png", image);
        Write(root, Path.Combine("test", "a"), "2.png", TestImages.GradientRgbPng(5, 5, 8));

        var result = await Importer.ImportAsync(root, "leak", null, null, CancellationToken.None);

        Assert.Equal(1, result.DuplicatesDropped);
        var samples = await Stores.Datasets.GetSamplesAsync("leak", 1, CancellationToken.None);
        Assert.Single(samples, s => s.BlobHash == Core.ContentHash.Of(image));
    }
}
