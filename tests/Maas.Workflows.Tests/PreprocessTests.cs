using Maas.Core;
using Maas.Core.Errors;
using Maas.Core.Pipelines;
using Maas.Datasets;
using Maas.Imaging;
using Maas.Storage;
using Maas.Testing;
using Maas.Workflows.Datasets;
using Maas.Workflows.Preprocessing;

namespace Maas.Workflows.Tests;

/// <summary><see cref="PreprocessDataset"/> builds then reuses the shard cache; <see cref="PreviewPipeline"/> writes a contact sheet.</summary>
public sealed class PreprocessTests : IDisposable
{
    private static readonly PipelineSpec s_pipeline = PipelineSpec.FromJson("""
        {"ops": [{"op": "decode", "color": "gray"}, {"op": "resize", "width": 24, "height": 24}, {"op": "rotate", "range": [-15, 15]},
                 {"op": "normalize", "mean": "auto", "std": "auto"}]}
        """, "test pipeline");

    private readonly TempFolder _temp = new();

    private async Task<MaasStores> ImportAsync()
    {
        var stores = MaasStores.Open(new MaasHome(_temp.Combine("home")));
        FashionMnist.WriteSubset(_temp.Combine("idx"), 60, 10, gzip: true);
        await new ImportDataset(stores).RunAsync(new ImportDatasetRequest(_temp.Combine("idx"), "fashion", new ImportOptions()), null, CancellationToken.None);
        return stores;
    }

    [Fact]
    public async Task Preview_ShowsTheRequestedTrainingImages_TheSameForTheSameSeed()
    {
        using var stores = await ImportAsync();
        var preview = new PreviewPipeline(stores);
        var request = new PreviewPipelineRequest(VersionedName.Parse("fashion@1"), s_pipeline, _temp.Combine("sheets", "sheet.png"), Samples: 3, Variants: 4, Seed: 7);

        var sheet = await preview.RunAsync(request, CancellationToken.None);
        var again = await preview.RunAsync(request with { Output = _temp.Combine("again.png") }, CancellationToken.None);

        Assert.Equal(_temp.Combine("sheets", "sheet.png"), sheet.Path);
        Assert.Equal(3, sheet.Samples.Distinct().Count());
        Assert.Equal(4, sheet.Variants);
        var train = (await stores.Datasets.GetSamplesAsync("fashion", 1, CancellationToken.None)).Where(s => s.Split == Core.Datasets.Split.Train).Select(s => s.SampleId);
        Assert.Subset(train.ToHashSet(), sheet.Samples.ToHashSet());
        Assert.Equal(sheet.Samples, again.Samples);
        Assert.Equal(await File.ReadAllBytesAsync(sheet.Path), await File.ReadAllBytesAsync(again.Path));
        var info = ImageDecoder.ReadInfo(await File.ReadAllBytesAsync(sheet.Path), "sheet");
        Assert.True(info.Width > info.Height, $"{info.Width}x{info.Height}: five columns of three rows are wider than high");
        await Assert.ThrowsAsync<InvalidInputException>(() => preview.RunAsync(request with { Samples = 0 }, CancellationToken.None));
        await Assert.ThrowsAsync<InvalidInputException>(() => preview.RunAsync(request with { Variants = 33 }, CancellationToken.None));
    }

    [Fact]
    public async Task Preprocess_BuildsTheCacheOnce_ThenReusesIt_UnlessForced()
    {
        using var stores = await ImportAsync();
        var preprocess = new PreprocessDataset(stores);
        var request = new PreprocessDatasetRequest(VersionedName.Parse("fashion"), s_pipeline);
        var reported = new List<StageProgress>();

        var built = await preprocess.RunAsync(request, new InlineProgress<StageProgress>(p => { lock (reported) { reported.Add(p); } }), CancellationToken.None);
        var reused = await preprocess.RunAsync(request, null, CancellationToken.None);
        var rebuilt = await preprocess.RunAsync(request with { Force = true }, null, CancellationToken.None);

        Assert.Equal(("fashion@1", false, 70), (built.Dataset, built.Reused, built.Manifest.SampleCount));
        // Decode and resize are deterministic; the rotation is an augmentation, drawn anew each epoch.
        Assert.Equal((2, 4), (built.PrefixOps, built.Ops));
        Assert.True(Directory.Exists(built.Folder));
        Assert.Contains(reported, p => p.Stage == PreprocessDataset.Stage && p.Total == 70);
        Assert.Equal((true, built.Folder, built.Manifest.ManifestHash), (reused.Reused, reused.Folder, reused.Manifest.ManifestHash));
        Assert.False(rebuilt.Reused);
    }

    public void Dispose() => _temp.Dispose();
}
