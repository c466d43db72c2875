using System.Text.Json;
using Maas.Core.Errors;
using Maas.Core.Models;
using Maas.Core.Pipelines;
using Maas.Imaging;
using Maas.Testing;

namespace Maas.Inference.Tests;

public sealed class LoadedModelTests : IDisposable
{
    private readonly TempFolder _temp = new();

    // Two gray pixels in, three classes out: class 0 likes bright left pixels, class 1 bright right ones, class 2 neither.
    private static readonly float[,] s_weights = { { 2f, 0f, 0f }, { 0f, 2f, 0f } };
    private static readonly float[] s_bias = [0f, 0f, 0.5f];

    private ModelVersion Write(PipelineSpec pipeline, string[] labels)
    {
        File.WriteAllBytes(_temp.Combine(ModelVersion.OnnxFileName), LinearSoftmaxGraph.Build(1, 1, 2, s_weights, s_bias));
        File.WriteAllText(_temp.Combine(ModelVersion.PipelineFileName), pipeline.ToJson());
        File.WriteAllText(_temp.Combine(ModelVersion.LabelsFileName), JsonSerializer.Serialize(labels));
        return new ModelVersion("m", 1, null, null, ".", labels, new Dictionary<string, double>(), DateTimeOffset.UtcNow);
    }

    private static float[] Softmax(params float[] logits)
    {
        var max = logits.Max();
        var exp = logits.Select(l => MathF.Exp(l - max)).ToArray();
        return exp.Select(e => e / exp.Sum()).ToArray();
    }

    [Fact]
    public void Predict_RunsThePipelineThenTheGraph_AndRanksClasses()
    {
        var version = Write(new PipelineSpec([new DecodeOp(ColorMode.Gray), new ResizeOp(2, 1)]), ["left", "right", "dark"]);
        using var model = new LoadedModel(version, _temp.Path);
        var png = ImageEncoder.EncodePng([255, 0], 2, 1, 1);

        var scores = model.Predict(png, topK: 3, "two.png");

        var expected = Softmax(2f, 0f, 0.5f);
        Assert.Equal(["left", "dark", "right"], scores.Select(s => s.Label));
        Assert.Equal(expected[0], scores[0].Probability, 5);
        Assert.Equal(expected[2], scores[1].Probability, 5);
        Assert.Equal(expected[1], scores[2].Probability, 5);
    }

    [Fact]
    public void Run_DynamicBatch_ScoresEachImage()
    {
        Write(PipelineSpec.ForImages(ColorMode.Gray, 2, 1), ["a", "b", "c"]);
        using var classifier = new OnnxClassifier(_temp.Combine(ModelVersion.OnnxFileName));

        var probabilities = classifier.Run([0f, 0f, 1f, 0f, 0f, 1f], 3);

        Assert.Equal(new TensorShape(1, 1, 2), classifier.InputShape);
        Assert.Equal(9, probabilities.Length);
        var expected = Softmax(0f, 0f, 0.5f).Concat(Softmax(2f, 0f, 0.5f)).Concat(Softmax(0f, 2f, 0.5f)).ToArray();
        for (var i = 0; i < 9; i++)
        {
            Assert.Equal(expected[i], probabilities[i], 5);
        }
    }

    [Fact]
    public void Load_PipelineShapeNotTheModels_IsRefused()
    {
        var version = Write(PipelineSpec.ForImages(ColorMode.Gray, 28, 28), ["a", "b", "c"]);

        var error = Assert.Throws<InvalidInputException>(() => new LoadedModel(version, _temp.Path));

        Assert.Contains("the pipeline produces", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_LabelCountNotTheModels_IsRefused()
    {
        var version = Write(PipelineSpec.ForImages(ColorMode.Gray, 2, 1), ["a", "b"]);

        var error = Assert.Throws<InvalidInputException>(() => new LoadedModel(version, _temp.Path));

        Assert.Contains("scores 3 classes but 2 labels", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_NotAnOnnxFile_IsRefusedNamingIt()
    {
        var path = _temp.Combine("broken.onnx");
        File.WriteAllText(path, "not a model");

        var error = Assert.Throws<InvalidInputException>(() => new OnnxClassifier(path));

        Assert.StartsWith(path + ": ONNX Runtime cannot load it", error.Message, StringComparison.Ordinal);
    }

    public void Dispose() => _temp.Dispose();
}
