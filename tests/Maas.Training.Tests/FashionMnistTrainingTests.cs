using Maas.Training.Evaluation;

namespace Maas.Training.Tests;

[Collection(TorchCollection.Name)]
public sealed class FashionMnistTrainingTests
{
    [Fact]
    public async Task Train_SmallCnnOnRealImages_LearnsFarAboveChance()
    {
        // A few seconds of training on real Fashion-MNIST images, measured on images it never saw. Chance is 0.10;
        // the full 60,000 training images and two epochs reach about 0.90, far beyond a test's budget.
        var train = FashionMnist.Test.Slice(0, 3000);
        var heldOut = FashionMnist.Test.Slice(8000, 2000);

        using var result = await new Trainer().TrainAsync(train, heldOut, new TrainingOptions { Epochs = 1 });
        var report = Evaluator.Evaluate(result.Network, heldOut, FashionMnist.ClassNames);

        Assert.True(report.Accuracy > 0.65, $"held-out accuracy {report.Accuracy}");
        Assert.Equal(report.Accuracy, result.Epochs[^1].ValidationAccuracy!.Value, 10);
        Assert.Equal(report.Loss!.Value, result.Epochs[^1].ValidationLoss!.Value, 4);
        Assert.Equal(2000, report.ConfusionMatrix.Sum(row => row.Sum()));
        Assert.Equal(FashionMnist.ClassNames, report.Classes.Select(c => c.Name));
    }
}
