using System.Diagnostics;
using Maas.Core.Errors;
using Maas.Training.Networks;
using static TorchSharp.torch;

namespace Maas.Training.Tests;

[Collection(TorchCollection.Name)]
public sealed class TrainerTests
{
    private static readonly TrainingData s_separable = SyntheticData.LeftOrRight(256, seed: 1);
    private static readonly TrainingOptions s_quick = new() { Architecture = "mlp", Epochs = 3, BatchSize = 32, LearningRate = 1e-2 };

    [Fact]
    public async Task Train_OnTinySeparableData_LossFalls()
    {
        // The first libtorch call of the test process: it fails here if the patched libLibTorchSharp.so does not load.
        using var result = await new Trainer().TrainAsync(s_separable, null, s_quick with { Epochs = 5 });

        Assert.Equal(5, result.Epochs.Count);
        Assert.True(result.Epochs[^1].TrainLoss < result.Epochs[0].TrainLoss / 2, $"loss went {result.Epochs[0].TrainLoss} -> {result.Epochs[^1].TrainLoss}");
        Assert.True(result.Epochs[^1].TrainAccuracy > 0.95);
        Assert.False(result.StoppedByTimeBudget);
        Assert.False(result.Network.training);
    }

    [Fact]
    public async Task Train_WithValidation_RecordsValidationMetricsEachEpoch()
    {
        var validation = SyntheticData.LeftOrRight(64, seed: 2);
        using var result = await new Trainer().TrainAsync(s_separable, validation, s_quick);

        Assert.All(result.Epochs, e => Assert.NotNull(e.ValidationLoss));
        Assert.True(result.Epochs[^1].ValidationAccuracy > 0.95);
        Assert.Equal([1, 2, 3], result.Epochs.Select(e => e.Epoch));
        Assert.All(result.Epochs, e => Assert.Equal(s_quick.LearningRate, e.LearningRate));
        Assert.All(result.Epochs, e => Assert.True(e.ImagesPerSecond > 0));
    }

    [Fact]
    public async Task Train_WithoutValidation_LeavesValidationMetricsEmpty()
    {
        using var result = await new Trainer().TrainAsync(s_separable, null, s_quick with { Epochs = 1 });

        Assert.Null(result.Epochs[0].ValidationLoss);
        Assert.Null(result.Epochs[0].ValidationAccuracy);
    }

    [Fact]
    public async Task Train_SameSeed_ReproducesExactly()
    {
        var options = s_quick with { Architecture = "tiny-cnn", Epochs = 2 };
        using var first = await new Trainer().TrainAsync(s_separable, null, options);
        using var second = await new Trainer().TrainAsync(s_separable, null, options);

        Assert.Equal(first.Epochs.Select(e => e.TrainLoss), second.Epochs.Select(e => e.TrainLoss));
        Assert.Equal(Weights(first.Network), Weights(second.Network));
    }

    [Fact]
    public async Task Train_DifferentSeed_GivesDifferentNetwork()
    {
        using var first = await new Trainer().TrainAsync(s_separable, null, s_quick with { Seed = 1 });
        using var second = await new Trainer().TrainAsync(s_separable, null, s_quick with { Seed = 2 });

        Assert.NotEqual(Weights(first.Network), Weights(second.Network));
        Assert.NotEqual(first.Epochs[0].TrainLoss, second.Epochs[0].TrainLoss);
    }

    [Theory]
    [InlineData(32, 8)]
    [InlineData(100, 3)]
    [InlineData(256, 1)]
    public async Task Train_BatchSize_SetsStepsPerEpoch(int batchSize, int expectedSteps)
    {
        var progress = new RecordingProgress();
        using var result = await new Trainer().TrainAsync(s_separable, null, s_quick with { Epochs = 2, BatchSize = batchSize }, progress);

        Assert.Equal(2 * expectedSteps, progress.Reports.Count);
        Assert.All(progress.Reports, r => Assert.Equal(expectedSteps, r.StepsPerEpoch));
        Assert.Equal(Enumerable.Range(1, expectedSteps), progress.Reports.Where(r => r.Epoch == 1).Select(r => r.Step));
    }

    [Fact]
    public async Task Train_ProgressPerStep_CarriesRunningMetrics()
    {
        var progress = new RecordingProgress();
        using var result = await new Trainer().TrainAsync(s_separable, null, s_quick with { Epochs = 1 }, progress);

        var last = progress.Reports[^1];
        Assert.Equal((1, 1, 8, 8), (last.Epoch, last.EpochCount, last.Step, last.StepsPerEpoch));
        Assert.Equal(result.Epochs[0].TrainLoss, last.RunningLoss, 6);
        Assert.Equal(result.Epochs[0].TrainAccuracy, last.RunningAccuracy, 6);
        Assert.All(progress.Reports, r => Assert.True(r.ImagesPerSecond > 0 && r.RunningAccuracy is >= 0 and <= 1));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    public async Task Train_Epochs_SetsEpochCount(int epochs)
    {
        using var result = await new Trainer().TrainAsync(s_separable, null, s_quick with { Epochs = epochs });

        Assert.Equal(epochs, result.Epochs.Count);
    }

    [Fact]
    public async Task Train_LearningRate_ChangesHowFarWeightsMove()
    {
        using var slow = await new Trainer().TrainAsync(s_separable, null, s_quick with { Epochs = 1, LearningRate = 1e-6 });
        using var fast = await new Trainer().TrainAsync(s_separable, null, s_quick with { Epochs = 1, LearningRate = 1e-2 });

        // Same seed, same initial weights: only the step size differs.
        Assert.True(fast.Epochs[0].TrainLoss < slow.Epochs[0].TrainLoss - 0.1, $"{fast.Epochs[0].TrainLoss} vs {slow.Epochs[0].TrainLoss}");
    }

    [Fact]
    public async Task Train_WeightDecay_ShrinksWeights()
    {
        var options = s_quick with { Epochs = 2, LearningRate = 1e-2 };
        using var plain = await new Trainer().TrainAsync(s_separable, null, options with { WeightDecay = 0 });
        using var decayed = await new Trainer().TrainAsync(s_separable, null, options with { WeightDecay = 5 });

        Assert.True(Norm(decayed.Network) < Norm(plain.Network) * 0.9, $"{Norm(decayed.Network)} vs {Norm(plain.Network)}");
    }

    [Fact]
    public async Task Train_Architecture_ChoosesTheNetwork()
    {
        using var cnn = await new Trainer().TrainAsync(s_separable, null, s_quick with { Epochs = 1, Architecture = "tiny-cnn" });

        Assert.Equal(Architectures.Create("tiny-cnn", 1, 8, 8, 2), cnn.Spec);
        Assert.Equal(cnn.Spec, cnn.Network.Spec);
    }

    [Fact]
    public async Task Train_Threads_SetsLibtorchThreadCount()
    {
        using var result = await new Trainer().TrainAsync(s_separable, null, s_quick with { Epochs = 1, Threads = 1 });
        Assert.Equal(1, get_num_threads());

        using var all = await new Trainer().TrainAsync(s_separable, null, s_quick with { Epochs = 1 });
        Assert.Equal(Environment.ProcessorCount, get_num_threads());
    }

    [Fact]
    public async Task Train_MaxDuration_StopsEarlyAndKeepsTheNetwork()
    {
        var data = SyntheticData.LeftOrRight(2048, seed: 3);
        var progress = new RecordingProgress();
        var clock = Stopwatch.StartNew();
        using var result = await new Trainer().TrainAsync(
            data, null, s_quick with { Epochs = 1000, BatchSize = 16, MaxDuration = TimeSpan.FromMilliseconds(300) }, progress);

        Assert.True(result.StoppedByTimeBudget);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"took {clock.Elapsed}");
        Assert.True(result.Epochs.Count < 1000);
        Assert.Equal(progress.Reports[^1].Epoch, result.Epochs[^1].Epoch);
        var prediction = Evaluation.Evaluator.Predict(result.Network, data.Pixels.AsSpan(0, 64), 1);
        Assert.Equal(2, prediction.ClassCount);
    }

    [Fact]
    public async Task Train_Cancelled_ThrowsWithinAStep()
    {
        using var cancellation = new CancellationTokenSource();
        var progress = new RecordingProgress(r =>
        {
            if (r.Step == 2)
            {
                cancellation.Cancel();
            }
        });

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => new Trainer().TrainAsync(s_separable, null, s_quick with { BatchSize = 8 }, progress, cancellation.Token));
        Assert.Equal(2, progress.Reports.Count);
    }

    [Fact]
    public async Task Train_UnknownArchitecture_ThrowsInvalidInput()
    {
        var error = await Assert.ThrowsAsync<InvalidInputException>(
            () => new Trainer().TrainAsync(s_separable, null, s_quick with { Architecture = "resnet-9000" }));

        Assert.Contains("resnet-9000", error.Message, StringComparison.Ordinal);
        Assert.Contains("small-cnn", error.Message, StringComparison.Ordinal);
    }

    public static TheoryData<TrainingOptions, string> BadOptions => new()
    {
        { new TrainingOptions { Epochs = 0 }, "Epochs" },
        { new TrainingOptions { BatchSize = 0 }, "BatchSize" },
        { new TrainingOptions { LearningRate = 0 }, "LearningRate" },
        { new TrainingOptions { LearningRate = double.NaN }, "LearningRate" },
        { new TrainingOptions { WeightDecay = -1 }, "WeightDecay" },
        { new TrainingOptions { MaxDuration = TimeSpan.Zero }, "MaxDuration" },
        { new TrainingOptions { Threads = 0 }, "Threads" },
        { new TrainingOptions { Architecture = " " }, "Architecture" },
        { new TrainingOptions { Optimizer = "adam" }, "Optimizer" },
        { new TrainingOptions { Optimizer = "sgd", Momentum = 1 }, "Momentum" },
        { new TrainingOptions { Nesterov = true }, "Nesterov" },
        { new TrainingOptions { Schedule = "step" }, "Schedule" },
        { new TrainingOptions { WarmupEpochs = -1 }, "WarmupEpochs" },
        { new TrainingOptions { WarmupSteps = -1 }, "WarmupSteps" },
        { new TrainingOptions { WarmupSteps = 5, WarmupEpochs = 1 }, "WarmupSteps" },
        { new TrainingOptions { LabelSmoothing = 1 }, "LabelSmoothing" },
        { new TrainingOptions { ClipGradNorm = 0 }, "ClipGradNorm" },
        { new TrainingOptions { Patience = 0 }, "Patience" },
        { new TrainingOptions { Patience = 2 }, "Patience" },
        { new TrainingOptions { Pretrained = "cifar" }, "Pretrained" },
        { new TrainingOptions { Pretrained = "imagenet" }, "resnet18" },
        { new TrainingOptions { FreezeBackbone = true }, "FreezeBackbone" },
    };

    [Theory]
    [MemberData(nameof(BadOptions))]
    public async Task Train_BadOption_ThrowsInvalidInputNamingIt(TrainingOptions options, string name)
    {
        var error = await Assert.ThrowsAsync<InvalidInputException>(() => new Trainer().TrainAsync(s_separable, null, options));

        Assert.Contains(name, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Train_LabelOutOfRange_ThrowsInvalidInput()
    {
        var bad = s_separable with { Labels = [.. s_separable.Labels.Select((l, i) => i == 5 ? 7 : l)] };

        var error = await Assert.ThrowsAsync<InvalidInputException>(() => new Trainer().TrainAsync(bad, null, s_quick));
        Assert.Contains("label 7 at sample 5", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Train_ValidationOfAnotherSize_ThrowsInvalidInput()
    {
        var validation = new TrainingData(new float[4 * 16], [0, 1, 0, 1], 1, 4, 4, 2);

        await Assert.ThrowsAsync<InvalidInputException>(() => new Trainer().TrainAsync(s_separable, validation, s_quick));
    }

    private static float[] Weights(Network network) =>
        [.. network.parameters().SelectMany(p => p.detach().data<float>().ToArray())];

    private static double Norm(Network network) => Math.Sqrt(Weights(network).Sum(w => (double)w * w));
}
