using Maas.Core.Errors;
using Maas.Training.Evaluation;
using Maas.Training.Networks;

namespace Maas.Training.Tests;

public sealed class EvaluatorTests
{
    private static readonly string[] s_abc = ["a", "b", "c"];

    [Fact]
    public void Score_HandMadePredictions_MatchHandComputedMetrics()
    {
        int[] truth = [0, 0, 0, 1, 1, 2, 2, 2, 2, 0];
        int[] guess = [0, 0, 1, 1, 0, 2, 2, 1, 2, 0];

        var report = Evaluator.Score(truth, guess, s_abc);

        // Rows are true classes, columns predicted ones.
        Assert.Equal([3, 1, 0], report.ConfusionMatrix[0]);
        Assert.Equal([1, 1, 0], report.ConfusionMatrix[1]);
        Assert.Equal([0, 1, 3], report.ConfusionMatrix[2]);
        Assert.Equal(10, report.SampleCount);
        Assert.Equal(0.7, report.Accuracy, 12);
        Assert.Null(report.Loss);

        // a: 3 of 4 predicted-a are a, 3 of 4 a found. b: 1 of 3, 1 of 2. c: 3 of 3, 3 of 4.
        AssertClass(report.Classes[0], "a", precision: 0.75, recall: 0.75, f1: 0.75, support: 4);
        AssertClass(report.Classes[1], "b", precision: 1.0 / 3, recall: 0.5, f1: 0.4, support: 2);
        AssertClass(report.Classes[2], "c", precision: 1.0, recall: 0.75, f1: 6.0 / 7, support: 4);
        Assert.Equal((0.75 + 0.4 + (6.0 / 7)) / 3, report.MacroF1, 12);
    }

    [Fact]
    public void Score_ClassWithNoPredictionsOrNoSamples_GetsZeroNotNaN()
    {
        var report = Evaluator.Score([0, 1, 0], [0, 0, 0], s_abc);

        AssertClass(report.Classes[1], "b", precision: 0, recall: 0, f1: 0, support: 1);
        AssertClass(report.Classes[2], "c", precision: 0, recall: 0, f1: 0, support: 0);
        Assert.False(double.IsNaN(report.MacroF1));
    }

    [Fact]
    public void Score_Empty_GivesZeroAccuracy()
    {
        var report = Evaluator.Score([], [], s_abc);

        Assert.Equal(0, report.Accuracy);
        Assert.Equal(0, report.SampleCount);
    }

    [Fact]
    public void Score_LabelOutsideTheClasses_Throws()
    {
        Assert.Throws<ArgumentException>(() => Evaluator.Score([0, 3], [0, 1], s_abc));
        Assert.Throws<ArgumentException>(() => Evaluator.Score([0, 1], [0], s_abc));
    }

    [Fact]
    public void Predict_RowsAreOrderedAndArgmaxIsThePrediction()
    {
        var prediction = new BatchPrediction(2, 3, [0.1f, 2f, -1f, 5f, 5f, 0f], [0.2f, 0.7f, 0.1f, 0.5f, 0.5f, 0f]);

        Assert.Equal(1, prediction.PredictedClass(0));
        Assert.Equal(0, prediction.PredictedClass(1)); // a tie goes to the first class
    }

    private static void AssertClass(ClassMetrics metrics, string name, double precision, double recall, double f1, int support)
    {
        Assert.Equal(name, metrics.Name);
        Assert.Equal(precision, metrics.Precision, 12);
        Assert.Equal(recall, metrics.Recall, 12);
        Assert.Equal(f1, metrics.F1, 12);
        Assert.Equal(support, metrics.Support);
    }
}

[Collection(TorchCollection.Name)]
public sealed class EvaluatorOnNetworkTests
{
    private static readonly TrainingData s_data = SyntheticData.LeftOrRight(300, seed: 5);
    private static readonly string[] s_sides = ["left", "right"];

    [Fact]
    public async Task Evaluate_TrainedNetwork_AgreesWithPredictInEveryBatchSize()
    {
        using var result = await new Trainer().TrainAsync(s_data, null, new TrainingOptions { Architecture = "tiny-cnn", Epochs = 2, BatchSize = 32 });

        var report = Evaluator.Evaluate(result.Network, s_data, s_sides, batchSize: 7);
        var whole = Evaluator.Predict(result.Network, s_data.Pixels, s_data.Count);
        int[] predicted = [.. Enumerable.Range(0, s_data.Count).Select(whole.PredictedClass)];

        var expected = Evaluator.Score(s_data.Labels, predicted, s_sides);
        Assert.Equal(expected.ConfusionMatrix, report.ConfusionMatrix);
        Assert.Equal(expected.Accuracy, report.Accuracy);
        Assert.Equal(300, report.SampleCount);
        Assert.True(report.Loss > 0);
        Assert.Equal(report.Accuracy, Evaluator.Evaluate(result.Network, s_data, s_sides, batchSize: 1000).Accuracy);
    }

    [Fact]
    public void Evaluate_RestoresTrainingMode()
    {
        using var network = new Network(Architectures.Create("tiny-cnn", 1, 8, 8, 2));
        network.train();

        Evaluator.Evaluate(network, s_data, s_sides);
        Evaluator.Predict(network, s_data.Pixels.AsSpan(0, 64), 1);

        Assert.True(network.training);
    }

    [Fact]
    public void Evaluate_WrongNumberOfClassNames_ThrowsInvalidInput()
    {
        using var network = new Network(Architectures.Create("tiny-cnn", 1, 8, 8, 2));

        Assert.Throws<InvalidInputException>(() => Evaluator.Evaluate(network, s_data, ["only-one"]));
    }

    [Fact]
    public void Evaluate_DataOfAnotherSize_ThrowsInvalidInput()
    {
        using var network = new Network(Architectures.Create("tiny-cnn", 1, 10, 10, 2));

        Assert.Throws<InvalidInputException>(() => Evaluator.Evaluate(network, s_data, s_sides));
    }

    [Fact]
    public void Predict_WrongPixelCount_Throws()
    {
        using var network = new Network(Architectures.Create("tiny-cnn", 1, 8, 8, 2));

        Assert.Throws<ArgumentException>(() => Evaluator.Predict(network, new float[65], 1));
    }
}
