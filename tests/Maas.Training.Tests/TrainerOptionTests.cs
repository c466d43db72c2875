using Maas.Training.Evaluation;
using Maas.Training.Networks;
using static TorchSharp.torch;

namespace Maas.Training.Tests;

/// <summary>Each trainer option is shown to take effect, most against a step computed independently here.</summary>
[Collection(TorchCollection.Name)]
public sealed class TrainerOptionTests
{
    private static readonly TrainingData s_separable = SyntheticData.LeftOrRight(256, seed: 1);

    // One step over the whole data set: the mean gradient does not depend on the shuffled order.
    private static readonly TrainingOptions s_oneStep = new()
    {
        Architecture = "mlp", Epochs = 1, BatchSize = 256, Optimizer = "sgd", Momentum = 0, WeightDecay = 0, LearningRate = 0.1,
    };

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.5)]
    public async Task Sgd_OneStep_MovesWeightsByLearningRateTimesGradientPlusDecay(double weightDecay)
    {
        var (initial, gradient) = InitialWeightsAndGradient(s_oneStep);
        using var result = await new Trainer().TrainAsync(s_separable, null, s_oneStep with { WeightDecay = weightDecay });

        var trained = Weights(result.Network);
        for (int i = 0; i < trained.Length; i++)
        {
            double expected = initial[i] - (0.1 * (gradient[i] + (weightDecay * initial[i])));
            Assert.True(Math.Abs(trained[i] - expected) < 1e-6, $"weight {i}: {trained[i]} vs {expected}");
        }
    }

    [Fact]
    public async Task Sgd_Momentum_CarriesTheFirstStepIntoTheSecond()
    {
        var twoSteps = s_oneStep with { Epochs = 2 };
        using var plainOne = await new Trainer().TrainAsync(s_separable, null, s_oneStep);
        using var momentumOne = await new Trainer().TrainAsync(s_separable, null, s_oneStep with { Momentum = 0.9 });
        using var plainTwo = await new Trainer().TrainAsync(s_separable, null, twoSteps);
        using var momentumTwo = await new Trainer().TrainAsync(s_separable, null, twoSteps with { Momentum = 0.9 });
        using var nesterovOne = await new Trainer().TrainAsync(s_separable, null, s_oneStep with { Momentum = 0.9, Nesterov = true });

        // PyTorch's momentum buffer starts as the first gradient, so one step is plain SGD; Nesterov looks ahead at once.
        Assert.Equal(Weights(plainOne.Network), Weights(momentumOne.Network));
        Assert.NotEqual(Weights(plainTwo.Network), Weights(momentumTwo.Network));
        Assert.NotEqual(Weights(momentumOne.Network), Weights(nesterovOne.Network));
    }

    [Fact]
    public async Task Optimizer_AdamWAndSgd_TrainDifferently()
    {
        using var sgd = await new Trainer().TrainAsync(s_separable, null, s_oneStep);
        using var adamw = await new Trainer().TrainAsync(s_separable, null, s_oneStep with { Optimizer = "adamw" });

        // Adam's first step moves every weight by about the learning rate, whatever its gradient.
        var initial = InitialWeightsAndGradient(s_oneStep).Weights;
        var moves = Weights(adamw.Network).Zip(initial, (a, b) => Math.Abs(a - b)).Where(m => m > 1e-9).ToList();
        Assert.All(moves, m => Assert.InRange(m, 0.09, 0.11));
        Assert.NotEqual(Weights(sgd.Network), Weights(adamw.Network));
    }

    [Fact]
    public async Task ClipGradNorm_LimitsTheStepToLearningRateTimesNorm()
    {
        var (initial, gradient) = InitialWeightsAndGradient(s_oneStep);
        double norm = Math.Sqrt(gradient.Sum(g => (double)g * g));
        double clip = norm / 4;
        using var result = await new Trainer().TrainAsync(s_separable, null, s_oneStep with { ClipGradNorm = clip });

        var trained = Weights(result.Network);
        double step = Math.Sqrt(trained.Zip(initial, (a, b) => (double)(a - b) * (a - b)).Sum());
        Assert.Equal(0.1 * clip, step, 5);
        for (int i = 0; i < trained.Length; i++)
        {
            // Clipping scales the whole gradient by one factor, keeping its direction.
            Assert.True(Math.Abs(trained[i] - (initial[i] - (0.1 * gradient[i] / 4))) < 1e-6, $"weight {i}");
        }
    }

    [Fact]
    public async Task LabelSmoothing_KeepsPredictionsFromCertainty()
    {
        var options = new TrainingOptions { Architecture = "mlp", Epochs = 15, BatchSize = 32, LearningRate = 1e-2 };
        using var plain = await new Trainer().TrainAsync(s_separable, null, options);
        using var smoothed = await new Trainer().TrainAsync(s_separable, null, options with { LabelSmoothing = 0.3 });

        // With smoothing s and two classes the target is 1 - s/2 = 0.85 on the true class; training drives towards it.
        Assert.True(MeanTopProbability(plain.Network) > 0.97, $"plain: {MeanTopProbability(plain.Network)}");
        Assert.InRange(MeanTopProbability(smoothed.Network), 0.75, 0.9);
        Assert.True(smoothed.Epochs[^1].TrainLoss > plain.Epochs[^1].TrainLoss + 0.2);
    }

    [Fact]
    public async Task Schedule_Cosine_RecordsEachEpochsLearningRate()
    {
        var progress = new RecordingProgress();
        var options = new TrainingOptions { Architecture = "mlp", Epochs = 4, BatchSize = 64, LearningRate = 0.02, Schedule = "cosine", WarmupEpochs = 1 };
        using var result = await new Trainer().TrainAsync(s_separable, null, options, progress);

        var schedule = new LearningRateSchedule("cosine", 0.02, 16, 4);
        Assert.Equal([.. Enumerable.Range(0, 16).Select(s => schedule.At(s))], progress.Reports.Select(r => r.LearningRate));
        Assert.Equal([schedule.At(3), schedule.At(7), schedule.At(11), schedule.At(15)], result.Epochs.Select(e => e.LearningRate));
        Assert.Equal([0.005, 0.01, 0.015, 0.02], progress.Reports.Take(4).Select(r => Math.Round(r.LearningRate, 12)));
        Assert.True(result.Epochs[^1].LearningRate < 0.002);
    }

    [Fact]
    public async Task Schedule_WarmupSteps_RampsTheFirstSteps()
    {
        var progress = new RecordingProgress();
        var options = new TrainingOptions { Architecture = "mlp", Epochs = 1, BatchSize = 32, LearningRate = 0.01, WarmupSteps = 5 };
        using var result = await new Trainer().TrainAsync(s_separable, null, options, progress);

        Assert.Equal([0.002, 0.004, 0.006, 0.008, 0.01, 0.01, 0.01, 0.01], progress.Reports.Select(r => Math.Round(r.LearningRate, 12)));
    }

    [Fact]
    public void Schedule_OneCycle_RisesFromAFraction_PeaksAndAnnealsFarBelow()
    {
        var schedule = new LearningRateSchedule("one-cycle", 0.1, 100, 0);

        Assert.Equal(0.1 / 25, schedule.At(0), 12);
        Assert.Equal(0.1, schedule.At(30), 12);
        Assert.True(schedule.At(15) is > 0.004 and < 0.1);
        Assert.Equal(0.1 / 25 / 1e4, schedule.At(99), 12);
        Assert.True(Enumerable.Range(30, 69).All(s => schedule.At(s + 1) < schedule.At(s)));
        Assert.Equal(0.1, new LearningRateSchedule("one-cycle", 0.1, 100, 10).At(10), 12);
    }

    [Fact]
    public void Schedule_Constant_IsThePeakAfterWarmup()
    {
        var schedule = new LearningRateSchedule("constant", 0.1, 10, 0);

        Assert.All(Enumerable.Range(0, 10), s => Assert.Equal(0.1, schedule.At(s)));
    }

    [Fact]
    public async Task Patience_ValidationLossRising_StopsEarlyAndRestoresTheBestEpoch()
    {
        // Validation labels are the opposite of the training labels: the better the network learns, the worse
        // its validation loss, so the first epoch is the best.
        var flipped = SyntheticData.LeftOrRight(64, seed: 2);
        flipped = flipped with { Labels = [.. flipped.Labels.Select(l => 1 - l)] };
        var options = new TrainingOptions { Architecture = "mlp", Epochs = 10, BatchSize = 32, LearningRate = 1e-2, Patience = 2 };
        using var result = await new Trainer().TrainAsync(s_separable, flipped, options);

        Assert.True(result.StoppedEarly);
        Assert.Equal(1, result.BestEpoch);
        Assert.Equal(3, result.Epochs.Count);
        var report = Evaluator.Evaluate(result.Network, flipped, ["left", "right"]);
        Assert.Equal(result.Epochs[0].ValidationLoss!.Value, report.Loss!.Value, 6);
    }

    [Fact]
    public async Task Patience_ValidationLossFalling_TrainsEveryEpoch()
    {
        var validation = SyntheticData.LeftOrRight(64, seed: 2);
        var options = new TrainingOptions { Architecture = "mlp", Epochs = 4, BatchSize = 32, LearningRate = 1e-2, Patience = 2 };
        using var result = await new Trainer().TrainAsync(s_separable, validation, options);

        Assert.False(result.StoppedEarly);
        Assert.Equal(4, result.Epochs.Count);
        Assert.Equal(result.Epochs.MinBy(e => e.ValidationLoss)!.Epoch, result.BestEpoch);
    }

    private static (float[] Weights, float[] Gradient) InitialWeightsAndGradient(TrainingOptions options)
    {
        // The trainer seeds libtorch and then builds the network; doing the same gives the same initial weights.
        manual_seed(options.Seed);
        using var network = new Network(Architectures.Create(options.Architecture, 1, 8, 8, 2));
        using var scope = NewDisposeScope();
        var input = tensor(s_separable.Pixels, [s_separable.Count, 1, 8, 8]);
        var target = tensor(s_separable.Labels.Select(l => (long)l).ToArray(), [s_separable.Count]);
        nn.functional.cross_entropy(network.call(input), target).backward();
        return (Weights(network), [.. network.parameters().SelectMany(p => p.grad!.data<float>().ToArray())]);
    }

    private static double MeanTopProbability(Network network) =>
        Evaluator.Predict(network, s_separable.Pixels, s_separable.Count).Probabilities.Chunk(2).Average(p => p.Max());

    private static float[] Weights(Network network) =>
        [.. network.parameters().SelectMany(p => p.detach().data<float>().ToArray())];
}
