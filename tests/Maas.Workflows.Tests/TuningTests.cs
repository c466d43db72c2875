using Maas.Core;
using Maas.Core.Errors;
using Maas.Core.Runs;
using Maas.Datasets;
using Maas.Storage;
using Maas.Testing;
using Maas.Training;
using Maas.Workflows.Tuning;

namespace Maas.Workflows.Tests;

[Collection(TorchCollection.Name)]
public sealed class TuningTests : IDisposable
{
    private readonly TempFolder _temp = new();

    [Fact]
    public async Task Tune_OnATinyBudget_RecordsEveryTrialAsARun_PromotesTheBest_AndFinishesIt()
    {
        using var stores = MaasStores.Open(new MaasHome(_temp.Combine("home")));
        Testing.FashionMnist.WriteSubset(_temp.Combine("idx"), 300, 60, gzip: true);
        var import = await new DatasetImporter(stores).ImportAsync(_temp.Combine("idx"), "fashion", new ImportOptions(Testing.FashionMnist.ClassNames), null,
            CancellationToken.None);
        var space = SearchSpace.Parse("""
            {"architecture": ["tiny-cnn", "mlp"], "learning_rate": {"log_uniform": [1e-3, 1e-2]}, "batch_size": [64], "label_smoothing": {"uniform": [0, 0.1]}}
            """);
        var boards = new List<TuningLeaderboard>();

        var outcome = await new TuningJob(stores).RunAsync(
            new TuningRequest(VersionedName.Parse(import.Version.Reference), space, TimeSpan.FromMinutes(1)) { MaxTrials = 3, Seed = 3, RegisterAs = "tuned" },
            new InlineProgress<TuningLeaderboard>(boards.Add), CancellationToken.None);

        // Three trials reach rung 1 (one epoch); the top third of them continues from its checkpoint to rung 2 (three).
        Assert.Equal(4, boards.Count);
        Assert.Equal(3, outcome.Trials.Count);
        Assert.Equal(3, outcome.Best.Epochs);
        var runs = await stores.Runs.ListAsync(CancellationToken.None);
        Assert.Equal(3, runs.Count);
        Assert.All(runs, r => Assert.Equal(outcome.TuneId, r.Parameters["tune"]));
        var best = runs.Single(r => r.Id == outcome.Best.RunId);
        Assert.Equal(RunStatus.Completed, best.Status);
        Assert.Equal([1, 2, 3], (await stores.Runs.GetEpochsAsync(best.Id, CancellationToken.None)).Select(e => e.Epoch));
        Assert.All(runs.Where(r => r.Id != best.Id), r => Assert.Equal(RunStatus.Paused, r.Status));
        Assert.Equal("tuned@1", outcome.BestRun.Registered?.Reference);
        Assert.True(File.Exists(Path.Combine(stores.Home.ArtifactsPath, best.ArtifactDir, Core.Models.ModelVersion.OnnxFileName)));
    }

    [Theory]
    [InlineData("""{"learning_rat": [0.1]}""", "learning_rat")]
    [InlineData("""{"architecture": ["resnet-9000"]}""", "architecture")]
    [InlineData("""{"learning_rate": {"log_uniform": [0, 1]}}""", "learning_rate")]
    [InlineData("""{"weight_decay": {"normal": [0, 1]}}""", "weight_decay")]
    [InlineData("""{"batch_size": [0.5]}""", "batch_size")]
    [InlineData("""{"optimizer": {"uniform": [0, 1]}}""", "optimizer")]
    [InlineData("""{"label_smoothing": []}""", "label_smoothing")]
    [InlineData("""[1, 2]""", "known hyperparameters")]
    public void Parse_BadSpace_IsRejectedNamingTheField(string json, string field)
    {
        var error = Assert.Throws<InvalidInputException>(() => SearchSpace.Parse(json));

        Assert.Contains(field, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_Yaml_ReadsChoicesAndRanges_AndSamplesWithinThem()
    {
        var path = _temp.Combine("space.yaml");
        File.WriteAllText(path, """
            architecture: [tiny-cnn, mlp]
            optimizer: [sgd]
            learning_rate: {log_uniform: [1e-4, 1e-2]}
            weight_decay: {uniform: [0, 0.1]}
            """);

        var space = SearchSpace.Load(path);
        var random = new Random(1);
        var drawn = Enumerable.Range(0, 50).Select(_ => space.Sample(random, new TrainingOptions())).ToList();

        Assert.All(drawn, o => Assert.InRange(o.LearningRate, 1e-4, 1e-2));
        Assert.All(drawn, o => Assert.InRange(o.WeightDecay, 0, 0.1));
        Assert.All(drawn, o => Assert.Equal("sgd", o.Optimizer));
        Assert.Equal(["mlp", "tiny-cnn"], drawn.Select(o => o.Architecture).Distinct().Order());
        Assert.Contains(drawn, o => o.LearningRate < 1e-3);
    }

    public void Dispose() => _temp.Dispose();
}
