using Maas.Analysis.LabelIssues;
using Maas.Core;
using Maas.Datasets;
using Maas.Storage;
using Maas.Testing;
using Maas.Workflows.CrossValidation;

namespace Maas.Workflows.Tests;

/// <summary>The trainer's out-of-fold probabilities, and confident learning on them, for real images with planted label flips.</summary>
[Collection(TorchCollection.Name)]
public sealed class KFoldTrainerTests : IDisposable
{
    private readonly TempFolder _temp = new();

    [Fact]
    public async Task PlantedLabelFlips_AreFoundByConfidentLearningOnTheFoldModels()
    {
        using var stores = MaasStores.Open(new MaasHome(_temp.Combine("home")));
        Testing.FashionMnist.WriteSubset(_temp.Combine("idx"), 1000, 200, gzip: true);
        var import = await new DatasetImporter(stores).ImportAsync(_temp.Combine("idx"), "fashion", new ImportOptions(Testing.FashionMnist.ClassNames), null,
            CancellationToken.None);
        var samples = (await stores.Datasets.GetSamplesAsync("fashion", import.Version.Version, CancellationToken.None)).ToList();

        // One sample in ten moved to a random other class, as a careless annotator would.
        var random = new Random(3);
        var flipped = new HashSet<int>();
        for (var i = 3; i < samples.Count; i += 10)
        {
            samples[i] = samples[i] with { Label = (samples[i].Label + 1 + random.Next(9)) % 10 };
            flipped.Add(i);
        }

        var labels = samples.Select(s => s.Label).ToArray();
        var trainer = new KFoldTrainer(stores.Blobs, new KFoldTrainerOptions(Epochs: 4, BatchSize: 64, Threads: 2));
        var predictions = await trainer.PredictAsync(new OutOfFoldRequest(samples, 10, StratifiedFolds.Assign(labels, 3, 1), 3, 1, null), null,
            CancellationToken.None);

        Assert.Equal(samples.Count, predictions.Probabilities.Length);
        Assert.All(predictions.Probabilities, p => Assert.Equal(1, p.Sum(), 3));
        Assert.StartsWith("small-cnn trained from scratch on 1x28x28 images, 3 folds, 4 epochs each", predictions.Description, StringComparison.Ordinal);
        var issues = ConfidentLearning.Find(labels, predictions.Probabilities, 10);
        var found = issues.Count(i => flipped.Contains(i.Index));
        var top = issues.Take(flipped.Count).Count(i => flipped.Contains(i.Index));
        // Fold models of 800 images reach about 0.8 accuracy, so confident learning also flags many look-alike garments
        // whose labels are right; the flips still rank first (lowest self-confidence). A model that learnt nothing, or
        // probabilities in the wrong order, would find next to none.
        Assert.True(found >= 0.6 * flipped.Count, $"{found} of {flipped.Count} flips found among {issues.Count} issues");
        Assert.True(top >= 0.6 * flipped.Count, $"{top} of the {flipped.Count} least self-confident issues are flips");
    }

    public void Dispose() => _temp.Dispose();
}
