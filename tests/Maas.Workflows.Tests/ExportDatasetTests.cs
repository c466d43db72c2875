using System.Text.Json;
using Maas.Core;
using Maas.Core.Datasets;
using Maas.Core.Errors;
using Maas.Datasets;
using Maas.Storage;
using Maas.Testing;
using Maas.Workflows.Datasets;

namespace Maas.Workflows.Tests;

/// <summary><see cref="ExportDataset"/> writes a tree the importer reads back as the same version.</summary>
public sealed class ExportDatasetTests : IDisposable
{
    private readonly TempFolder _temp = new();

    [Fact]
    public async Task Export_ThenImportTheTree_GivesTheSameClassesCountsAndImages()
    {
        using var stores = MaasStores.Open(new MaasHome(_temp.Combine("home")));
        FashionMnist.WriteSubset(_temp.Combine("idx"), 60, 20, gzip: false);
        var original = await new ImportDataset(stores).RunAsync(
            new ImportDatasetRequest(_temp.Combine("idx"), "fashion", new ImportOptions(FashionMnist.ClassNames)), null, CancellationToken.None);
        var reported = new List<StageProgress>();

        var export = await new ExportDataset(stores).RunAsync(new ExportDatasetRequest(VersionedName.Parse("fashion@1"), _temp.Combine("out"), Force: false),
            new InlineProgress<StageProgress>(p => { lock (reported) { reported.Add(p); } }), CancellationToken.None);
        var reimported = await new ImportDataset(stores).RunAsync(new ImportDatasetRequest(export.Folder, "again", new ImportOptions()), null, CancellationToken.None);

        Assert.Equal(("fashion@1", 80), (export.Dataset, export.Files));
        Assert.Equal(Directory.GetFiles(export.Folder, "*", SearchOption.AllDirectories).Length, export.Files + 1);
        Assert.Contains(reported, p => p.Stage == ExportDataset.Stage && p.Done == 80 && p.Total == 80);
        // "T-shirt/top" cannot be a folder name; classes.json keeps the real name and the label order.
        Assert.Equal(FashionMnist.ClassNames, export.Classes.Select(c => c.ClassName));
        using var classes = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(export.Folder, ClassFolderLayout.ClassesFileName)));
        Assert.Equal(FashionMnist.ClassNames, classes.RootElement.EnumerateObject().Select(p => p.Value.GetString()));
        Assert.Equal(original.Version.Classes, reimported.Version.Classes);
        foreach (var split in export.Splits)
        {
            Assert.Equal(original.Counts.Counts[split], reimported.Counts.Counts[split]);
        }

        var before = (await stores.Datasets.GetSamplesAsync("fashion", 1, CancellationToken.None)).Select(s => s.BlobHash).Order();
        var after = (await stores.Datasets.GetSamplesAsync("again", 1, CancellationToken.None)).Select(s => s.BlobHash).Order();
        Assert.Equal(before, after);
    }

    [Fact]
    public async Task Export_IntoANonEmptyFolder_IsRefusedUnlessForced_AndIntoTheHomeAlways()
    {
        using var stores = MaasStores.Open(new MaasHome(_temp.Combine("home")));
        var tree = ImageTree.Write(_temp.Combine("tree"), ("train", "cat", 2, 0), ("train", "dog", 2, 100));
        await new ImportDataset(stores).RunAsync(new ImportDatasetRequest(tree, "pets", new ImportOptions(null, [1.0, 0, 0])), null, CancellationToken.None);
        var target = _temp.Combine("busy");
        Directory.CreateDirectory(target);
        await File.WriteAllTextAsync(Path.Combine(target, "keep.txt"), "mine");
        var export = new ExportDataset(stores);
        var pets = VersionedName.Parse("pets@1");

        await Assert.ThrowsAsync<ConflictException>(() => export.RunAsync(new ExportDatasetRequest(pets, target, Force: false), null, CancellationToken.None));
        Assert.True(File.Exists(Path.Combine(target, "keep.txt")));
        await Assert.ThrowsAsync<InvalidInputException>(() =>
            export.RunAsync(new ExportDatasetRequest(pets, _temp.Combine("home", "inside"), Force: true), null, CancellationToken.None));
        var forced = await export.RunAsync(new ExportDatasetRequest(pets, target, Force: true), null, CancellationToken.None);

        Assert.False(File.Exists(Path.Combine(target, "keep.txt")));
        Assert.Equal(4, forced.Files);
        Assert.Equal([Split.Train], forced.Splits);
        Assert.Equal(["cat", "dog"], Directory.GetDirectories(Path.Combine(target, "train")).Select(Path.GetFileName).Order());
        Assert.Empty(Directory.GetDirectories(_temp.Path, ".busy.*"));
    }

    public void Dispose() => _temp.Dispose();
}
