using Maas.Core;
using Maas.Core.Datasets;
using Maas.Core.Errors;
using Maas.Datasets;
using Maas.Imaging;
using Maas.Storage;
using Maas.Testing;
using Maas.Training;
using Maas.Training.Evaluation;
using Maas.Workflows.Datasets;
using Maas.Workflows.Evaluation;
using Maas.Workflows.Training;

namespace Maas.Workflows.Tests;

/// <summary><see cref="EvaluateModel"/> on a tiny network trained for one epoch on real Fashion-MNIST images.</summary>
[Collection(TorchCollection.Name)]
public sealed class EvaluateModelTests : IDisposable
{
    private static readonly TrainingOptions s_options = new() { Architecture = "tiny-cnn", Epochs = 1, BatchSize = 64, Threads = 1, Seed = 3 };
    private readonly TempFolder _temp = new();

    /// <summary>
    /// Fashion-MNIST test images as a class-per-folder tree without split folders, so the import splits them into
    /// train, validation and test (the IDX files have no validation split to calibrate on).
    /// </summary>
    private string WriteFashionTree(int count)
    {
        var root = _temp.Combine("tree");
        for (var i = 0; i < count; i++)
        {
            var (pixels, label) = FashionMnist.TestImage(i);
            var folder = Path.Combine(root, $"c{label}");
            Directory.CreateDirectory(folder);
            File.WriteAllBytes(Path.Combine(folder, $"{i}.png"), ImageEncoder.EncodePng(pixels, 28, 28, 1));
        }

        return root;
    }

    [Fact]
    public async Task Evaluate_ScoresTheTestSplitThroughOnnxAsTheTrainerDid_AndCalibratesOnValidation()
    {
        using var stores = MaasStores.Open(new MaasHome(_temp.Combine("home")));
        var import = await new ImportDataset(stores).RunAsync(new ImportDatasetRequest(WriteFashionTree(400), "fashion", new ImportOptions()), null,
            CancellationToken.None);
        var trained = await new TrainingJob(stores).RunAsync(new TrainingRequest(VersionedName.Parse("fashion@1"), s_options, "fm"), null, CancellationToken.None);
        var reported = new List<StageProgress>();
        var evaluate = new EvaluateModel(stores);

        var evaluation = await evaluate.RunAsync(new EvaluateModelRequest(VersionedName.Parse("fm"), VersionedName.Parse("fashion@1"), Split.Test, TopK: 3, Calibrate: true),
            new InlineProgress<StageProgress>(p => { lock (reported) { reported.Add(p); } }), CancellationToken.None);

        var testCount = import.Counts.Total(Split.Test);
        Assert.Equal(("fm@1", "fashion@1", "test"), (evaluation.Model, evaluation.Dataset, evaluation.Split));
        Assert.Equal(trained.Registered!.Labels, evaluation.Labels);
        Assert.Equal(testCount, evaluation.Scores.Report.SampleCount);
        Assert.Equal(testCount, evaluation.Scores.Report.ConfusionMatrix.Sum(row => row.Sum()));
        // The same pipeline through ONNX Runtime as through TorchSharp: at most a near-tie may flip.
        Assert.Equal("test", trained.EvaluatedSplit);
        Assert.Equal(trained.Evaluation.Accuracy, evaluation.Scores.Report.Accuracy, 1.5 / testCount);
        Assert.True(evaluation.Scores.TopKAccuracy >= evaluation.Scores.Report.Accuracy);
        Assert.Contains(reported, p => p.Stage == "evaluating on test" && p.Done == testCount);
        Assert.Contains(reported, p => p.Stage == "evaluating on validation" && p.Done == import.Counts.Total(Split.Validation));
        var calibration = Assert.IsType<CalibrationReport>(evaluation.Calibration);
        Assert.Equal(("validation", import.Counts.Total(Split.Validation)), (calibration.FittedOn, calibration.FitSamples));
        Assert.True(calibration.Temperature > 0);
        Assert.Equal(evaluation.Scores.ExpectedCalibrationError, calibration.EceBefore);

        await Assert.ThrowsAsync<InvalidInputException>(() =>
            evaluate.RunAsync(new EvaluateModelRequest(VersionedName.Parse("fm"), VersionedName.Parse("fashion@1"), TopK: 0), null, CancellationToken.None));
        await Assert.ThrowsAsync<NotFoundException>(() =>
            evaluate.RunAsync(new EvaluateModelRequest(VersionedName.Parse("nope"), VersionedName.Parse("fashion@1")), null, CancellationToken.None));

        // A dataset with a class the model does not predict is refused, naming the class.
        var other = ImageTree.Write(_temp.Combine("other"), ("test", "c0", 2, 0), ("test", "zebra", 2, 100));
        await new ImportDataset(stores).RunAsync(new ImportDatasetRequest(other, "other", new ImportOptions()), null, CancellationToken.None);
        var error = await Assert.ThrowsAsync<InvalidInputException>(() =>
            evaluate.RunAsync(new EvaluateModelRequest(VersionedName.Parse("fm@1"), VersionedName.Parse("other")), null, CancellationToken.None));
        Assert.Contains("'zebra'", error.Message, StringComparison.Ordinal);
    }

    public void Dispose() => _temp.Dispose();
}
