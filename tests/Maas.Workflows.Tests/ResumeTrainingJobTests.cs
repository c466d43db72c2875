using Maas.Core;
using Maas.Core.Errors;
using Maas.Core.Runs;
using Maas.Datasets;
using Maas.Storage;
using Maas.Testing;
using Maas.Training;
using Maas.Workflows.Training;

namespace Maas.Workflows.Tests;

[Collection(TorchCollection.Name)]
public sealed class ResumeTrainingJobTests : IDisposable
{
    private static readonly TrainingOptions s_options = new() { Architecture = "tiny-cnn", Epochs = 3, BatchSize = 64, Threads = 1, Seed = 5 };
    private readonly TempFolder _temp = new();

    [Fact]
    public async Task Resume_OfARunCancelledAfterItsFirstCheckpoint_AddsTheRemainingEpochs_AndMatchesAnUninterruptedRun()
    {
        using var stores = MaasStores.Open(new MaasHome(_temp.Combine("home")));
        var dataset = await ImportAsync(stores);
        var uninterrupted = await new TrainingJob(stores).RunAsync(new TrainingRequest(dataset, s_options), null, CancellationToken.None);

        using var cancellation = new CancellationTokenSource();
        var cancelAfterFirstCheckpoint = new InlineProgress<TrainingJobProgress>(p =>
        {
            if (p.Stage == "checkpoint" && p.Done == 1)
            {
                cancellation.Cancel();
            }
        });
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => new TrainingJob(stores)
            .RunAsync(new TrainingRequest(dataset, s_options, "resumed-model"), cancelAfterFirstCheckpoint, cancellation.Token));
        var cancelled = (await stores.Runs.ListAsync(CancellationToken.None)).First(r => r.Id != uninterrupted.Run.Id);
        Assert.Equal(RunStatus.Cancelled, cancelled.Status);
        Assert.Equal(1, cancelled.Metrics["checkpoint_epoch"]);
        Assert.Single(await stores.Runs.GetEpochsAsync(cancelled.Id, CancellationToken.None));

        var resumed = await new TrainingJob(stores).ResumeAsync(cancelled.Id, null, CancellationToken.None);

        Assert.Equal(cancelled.Id, resumed.Run.Id);
        Assert.Equal(RunStatus.Completed, resumed.Run.Status);
        Assert.Equal([1, 2, 3], (await stores.Runs.GetEpochsAsync(cancelled.Id, CancellationToken.None)).Select(e => e.Epoch));
        Assert.Equal(uninterrupted.Epochs.Select(e => e.TrainLoss), resumed.Epochs.Select(e => e.TrainLoss));
        Assert.Equal(uninterrupted.Evaluation.Accuracy, resumed.Evaluation.Accuracy);
        Assert.Equal("resumed-model@1", resumed.Registered?.Reference);
        await Assert.ThrowsAsync<ConflictException>(() => new TrainingJob(stores).ResumeAsync(cancelled.Id, null, CancellationToken.None));
    }

    [Fact]
    public void RunParameters_RoundTripTheRequest()
    {
        var options = s_options with
        {
            Optimizer = "sgd", Momentum = 0.8, Nesterov = true, LearningRate = 0.0123456789, WarmupSteps = 30, ClipGradNorm = 2.5, Patience = 2,
            LabelSmoothing = 0.1, MaxDuration = TimeSpan.FromMinutes(1.5), Schedule = "one-cycle",
        };
        var pipeline = Core.Pipelines.PipelineSpec.FromJson("""{"ops": [{"op": "decode", "color": "gray"}, {"op": "resize", "width": 20, "height": 20}, {"op": "normalize", "mean": [0.5], "std": [0.5]}]}""");
        var request = new TrainingRequest(VersionedName.Parse("fashion@2"), options, "fashion-cnn", pipeline);
        var run = new Run("run_x", "fashion@2", RunParameters.Of(request, pipeline), RunStatus.Cancelled, new Dictionary<string, double>(),
            DateTimeOffset.UtcNow, null, "runs/run_x");

        var back = RunParameters.ToRequest(run);

        Assert.Equal(options, back.Options);
        Assert.Equal("fashion-cnn", back.RegisterAs);
        Assert.Equal(pipeline.ToJson(), back.Pipeline!.ToJson());
        Assert.Equal(request.Dataset, back.Dataset);
    }

    private async Task<VersionedName> ImportAsync(MaasStores stores)
    {
        Testing.FashionMnist.WriteSubset(_temp.Combine("idx"), 256, 64, gzip: true);
        var import = await new DatasetImporter(stores).ImportAsync(_temp.Combine("idx"), "fashion", new ImportOptions(Testing.FashionMnist.ClassNames), null,
            CancellationToken.None);
        return VersionedName.Parse(import.Version.Reference);
    }

    public void Dispose() => _temp.Dispose();
}
