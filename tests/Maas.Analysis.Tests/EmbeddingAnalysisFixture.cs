using Maas.Core;
using Maas.Core.Datasets;
using Maas.Testing;

namespace Maas.Analysis.Tests;

/// <summary>
/// One analysis with embeddings, shared by the tests that read it: 300 Fashion-MNIST images with 12 planted label
/// flips, 3 nature photographs planted as outliers, and a resized JPEG copy of one image. Embedding costs about a
/// tenth of a second per image per core, so it runs once.
/// </summary>
public sealed class EmbeddingAnalysisFixture : IAsyncLifetime
{
    public const int Count = 300;

    public static readonly string[] Photos = ["/usr/share/backgrounds/mate/nature/Aqua.jpg", "/usr/share/backgrounds/mate/nature/LadyBird.jpg",
        "/usr/share/backgrounds/mate/nature/YellowFlower.jpg"];

    private readonly TempFolder _temp = new();

    public HashSet<string> Flipped { get; } = [];

    public AnalysisResult Result { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        using var stores = TestData.OpenStores(_temp.Combine("home"));
        var images = new List<(string, byte[], int, Split)>();
        var random = new Random(5);
        for (var i = 0; i < Count; i++)
        {
            var (pixels, label) = FashionMnist.TestImage(i);
            var id = $"fm/{i:000}";
            if (i % 25 == 3)
            {
                // A flip to a random other class, as a careless annotator would make.
                label = (label + 1 + random.Next(9)) % 10;
                Flipped.Add(id);
            }

            images.Add((id, TestData.Png(pixels, 28, 28), label, i % 5 == 0 ? Split.Test : Split.Train));
        }

        var (copy, copyLabel) = FashionMnist.TestImage(7);
        images.Add(("copy/007", TestData.ResizedJpeg(copy, 28, 28, 2), copyLabel, Split.Train));
        for (var p = 0; p < Photos.Length; p++)
        {
            images.Add(($"photo/{p}", TestImages.Photo(Photos[p], 64), p, Split.Train));
        }

        var version = await TestData.CommitAsync(stores, "fashion", FashionMnist.ClassNames, images);
        Result = await new DatasetAnalyzer(stores.Datasets, stores.Blobs, embedders: (side, batch) => new Maas.Inference.ResNetEmbedder(batch: batch, side: side)).AnalyzeAsync(new VersionedName(version.Name, version.Version, null),
            new AnalysisOptions(OutlierPercentile: 3), null, CancellationToken.None);
    }

    public Task DisposeAsync()
    {
        _temp.Dispose();
        return Task.CompletedTask;
    }
}
