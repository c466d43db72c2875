using Maas.Core.Errors;
using Maas.Testing;
using Maas.Training.Networks;

namespace Maas.Training.Tests;

[Collection(TorchCollection.Name)]
public sealed class CheckpointTests : IDisposable
{
    private static readonly TrainingData s_train = SyntheticData.LeftOrRight(192, seed: 11);
    private static readonly TrainingData s_validation = SyntheticData.LeftOrRight(64, seed: 12);

    // small-cnn has batch norm (running statistics) and dropout (libtorch's generator); patience keeps best weights.
    private static readonly TrainingOptions s_options = new()
    {
        Architecture = "small-cnn", Epochs = 3, BatchSize = 32, LearningRate = 1e-2, Schedule = "cosine", Patience = 5, Threads = 1, Seed = 7,
    };

    private readonly TempFolder _temp = new();

    [Theory]
    [InlineData("adamw")]
    [InlineData("sgd")]
    public async Task Resume_AfterCancellingEpochTwo_EndsWithTheUninterruptedWeights_BitForBit(string optimizer)
    {
        var options = s_options with { Optimizer = optimizer };
        using var uninterrupted = await new Trainer { Checkpoints = new Checkpointing(_temp.Combine("a")) }.TrainAsync(s_train, s_validation, options);

        using var cancellation = new CancellationTokenSource();
        var cancelInEpochTwo = new RecordingProgress(p =>
        {
            if (p.Epoch == 2 && p.Step == 3)
            {
                cancellation.Cancel();
            }
        });
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => new Trainer { Checkpoints = new Checkpointing(_temp.Combine("b")) }
            .TrainAsync(s_train, s_validation, options, cancelInEpochTwo, cancellation.Token));
        Assert.Equal(1, TrainingCheckpoint.TryReadSummary(_temp.Combine("b"))!.Epoch);

        var resumedProgress = new RecordingProgress();
        using var resumed = await new Trainer { Checkpoints = new Checkpointing(_temp.Combine("b")) { Resume = true } }
            .TrainAsync(s_train, s_validation, options, resumedProgress);

        Assert.Equal([2, 3], resumedProgress.Reports.Select(r => r.Epoch).Distinct());
        Assert.Equal(Weights(uninterrupted.Network), Weights(resumed.Network));
        Assert.Equal(uninterrupted.Epochs.Select(e => (e.TrainLoss, e.ValidationLoss, e.LearningRate)),
            resumed.Epochs.Select(e => (e.TrainLoss, e.ValidationLoss, e.LearningRate)));
        Assert.Equal(uninterrupted.BestEpoch, resumed.BestEpoch);
    }

    [Fact]
    public async Task PauseAfterEpoch_ThenResume_ContinuesTheSameSchedule()
    {
        var folder = _temp.Combine("paused");
        using (var paused = await new Trainer { Checkpoints = new Checkpointing(folder) { PauseAfterEpoch = 1 } }.TrainAsync(s_train, s_validation, s_options))
        {
            Assert.Single(paused.Epochs);
        }

        using var resumed = await new Trainer { Checkpoints = new Checkpointing(folder) { Resume = true } }.TrainAsync(s_train, s_validation, s_options);
        using var uninterrupted = await new Trainer().TrainAsync(s_train, s_validation, s_options);

        Assert.Equal(Weights(uninterrupted.Network), Weights(resumed.Network));
        Assert.Equal(3, resumed.Epochs.Count);
    }

    [Fact]
    public async Task Checkpoint_IsWrittenEveryEpoch_WithoutLeavingATemporaryFile()
    {
        var folder = _temp.Combine("every");
        var saved = new List<int>();
        using var result = await new Trainer { Checkpoints = new Checkpointing(folder) { Saved = e => saved.Add(e.Count) } }
            .TrainAsync(s_train, null, s_options with { Architecture = "mlp", Patience = null });

        Assert.Equal([1, 2, 3], saved);
        Assert.Equal([TrainingCheckpoint.FileName], Directory.GetFiles(folder).Select(Path.GetFileName));
        var summary = TrainingCheckpoint.TryReadSummary(folder)!;
        Assert.Equal((3, "mlp", "adamw", 7L), (summary.Epoch, summary.Architecture, summary.Optimizer, summary.Seed));
        Assert.Equal(result.Epochs.Select(e => e.TrainLoss), summary.Epochs.Select(e => e.TrainLoss));
    }

    [Fact]
    public async Task Resume_WithAnotherSeed_IsRefusedNamingBoth()
    {
        var folder = _temp.Combine("seed");
        using (await new Trainer { Checkpoints = new Checkpointing(folder) { PauseAfterEpoch = 1 } }.TrainAsync(s_train, null, s_options with { Architecture = "mlp", Patience = null }))
        {
        }

        var error = await Assert.ThrowsAsync<InvalidInputException>(() => new Trainer { Checkpoints = new Checkpointing(folder) { Resume = true } }
            .TrainAsync(s_train, null, s_options with { Architecture = "mlp", Patience = null, Seed = 8 }));
        Assert.Contains("seed 7", error.Message, StringComparison.Ordinal);
        Assert.Contains("seed 8", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TryReadSummary_OfAFolderWithoutCheckpoint_IsNull() => Assert.Null(TrainingCheckpoint.TryReadSummary(_temp.Path));

    private static float[] Weights(Network network) =>
        [.. network.state_dict().Values.Where(t => t.dtype == TorchSharp.torch.ScalarType.Float32).SelectMany(t => t.detach().data<float>().ToArray())];

    public void Dispose() => _temp.Dispose();
}
