using Google.Protobuf;
using Maas.Training.Evaluation;
using Maas.Training.Export;
using Maas.Training.Networks;
using Microsoft.ML.OnnxRuntime;
using Onnx;

namespace Maas.Training.Tests;

/// <summary>
/// The exported graph is checked against an independent engine: ONNX Runtime must compute what TorchSharp
/// computes, on real Fashion-MNIST images, after real training steps (so batch-norm statistics are not the
/// trivial 0 and 1 they start at).
/// </summary>
[Collection(TorchCollection.Name)]
public sealed class OnnxExporterTests : IClassFixture<OnnxExporterTests.TrainedNetworks>
{
    private const float Tolerance = 1e-4f;
    private static readonly Dictionary<string, string> s_metadata = new()
    {
        ["maas.model"] = "fashion-cnn@7",
        ["maas.classes"] = string.Join(",", FashionMnist.ClassNames),
    };

    private readonly TrainedNetworks _trained;

    public OnnxExporterTests(TrainedNetworks trained) => _trained = trained;

    [Theory]
    [InlineData("small-cnn", 1)]
    [InlineData("small-cnn", 7)]
    [InlineData("tiny-cnn", 1)]
    [InlineData("tiny-cnn", 7)]
    [InlineData("mlp", 7)]
    [InlineData("resnet18", 1)]
    [InlineData("resnet18", 7)]
    [InlineData("resnet34", 1)]
    [InlineData("resnet34", 7)]
    [InlineData(TrainedNetworks.ResNet18ImageNetStem, 1)]
    [InlineData(TrainedNetworks.ResNet18ImageNetStem, 7)]
    public void Export_OnFashionMnist_OnnxRuntimeMatchesTorchSharp(string architecture, int batch)
    {
        var (result, heldOut) = _trained.Get(architecture);
        byte[] model = OnnxExporter.Export(result.Spec, result.Network, s_metadata);

        // Images the network did not train on, a different slice for each batch size.
        var pixels = heldOut.Slice(batch * 2, batch).Pixels;
        var torch = Evaluator.Predict(result.Network, pixels, batch);

        using var session = new InferenceSession(model);
        using var input = OrtValue.CreateTensorValueFromMemory(pixels, [batch, heldOut.Channels, heldOut.Height, heldOut.Width]);
        using var runOptions = new RunOptions();
        using var outputs = session.Run(runOptions, [OnnxExporter.InputName], [input], [OnnxExporter.LogitsName, OnnxExporter.ProbabilitiesName]);
        var logits = outputs[0].GetTensorDataAsSpan<float>().ToArray();
        var probabilities = outputs[1].GetTensorDataAsSpan<float>().ToArray();

        Assert.Equal([batch, 10], outputs[0].GetTensorTypeAndShape().Shape);
        Assert.Equal([batch, 10], outputs[1].GetTensorTypeAndShape().Shape);
        AssertClose(torch.Logits, logits);
        AssertClose(torch.Probabilities, probabilities);
        for (int i = 0; i < batch; i++)
        {
            Assert.Equal(1f, probabilities.AsSpan(i * 10, 10).ToArray().Sum(), 1e-5f);
        }
    }

    [Theory]
    [InlineData("small-cnn")]
    [InlineData("mlp")]
    [InlineData("resnet18")]
    [InlineData(TrainedNetworks.ResNet18ImageNetStem)]
    public void Export_EmbeddingOutput_IsWhatTheHeadReads(string architecture)
    {
        const int batch = 5;
        var (result, heldOut) = _trained.Get(architecture);
        var head = Assert.IsType<LinearLayer>(result.Spec.Layers[^1]);
        var pixels = heldOut.Slice(3, batch).Pixels;
        float[] features;
        using (TorchSharp.torch.no_grad())
        {
            result.Network.eval();
            using var x = TorchSharp.torch.tensor(pixels.ToArray(), [batch, heldOut.Channels, heldOut.Height, heldOut.Width]);
            using var f = result.Network.Features(x);
            features = f.data<float>().ToArray();
        }

        using var session = new InferenceSession(OnnxExporter.Export(result.Spec, result.Network, s_metadata));
        using var input = OrtValue.CreateTensorValueFromMemory(pixels, [batch, heldOut.Channels, heldOut.Height, heldOut.Width]);
        using var runOptions = new RunOptions();
        using var outputs = session.Run(runOptions, [OnnxExporter.InputName], [input], [OnnxExporter.EmbeddingName]);

        Assert.Equal([batch, head.InFeatures], outputs[0].GetTensorTypeAndShape().Shape);
        Assert.Equal(head.InFeatures, session.OutputMetadata[OnnxExporter.EmbeddingName].Dimensions[1]);
        AssertClose(features, outputs[0].GetTensorDataAsSpan<float>().ToArray());
    }

    [Fact]
    public void Export_ResNet18_HasOneAddPerBlockAndNoConvBias()
    {
        var (result, _) = _trained.Get("resnet18");
        var model = ModelProto.Parser.ParseFrom(OnnxExporter.Export(result.Spec, result.Network, s_metadata));

        Assert.Equal(8, model.Graph.Node.Count(n => n.OpType == "Add"));
        Assert.Equal(1 + 16 + 3, model.Graph.Node.Count(n => n.OpType == "Conv"));
        Assert.All(model.Graph.Node.Where(n => n.OpType == "Conv"), n => Assert.Equal(2, n.Input.Count));
        Assert.Contains("layers.5.downsample.1.running_var", model.Graph.Initializer.Select(t => t.Name));
    }

    [Fact]
    public void Export_AfterTraining_BatchNormStatisticsAreNotTrivial()
    {
        var buffers = _trained.Get("small-cnn").Result.Network.named_buffers()
            .Where(b => b.name.Contains("running", StringComparison.Ordinal))
            .ToDictionary(b => b.name, b => b.buffer.data<float>().ToArray());

        Assert.Contains(buffers["layers.1.running_mean"], m => Math.Abs(m) > 1e-3);
        Assert.Contains(buffers["layers.5.running_var"], v => Math.Abs(v - 1) > 1e-3);
    }

    [Fact]
    public void Export_Metadata_IsInTheModel()
    {
        var result = _trained.Get("small-cnn").Result;
        byte[] model = OnnxExporter.Export(result.Spec, result.Network, s_metadata);

        using var session = new InferenceSession(model);
        Assert.Equal("fashion-cnn@7", session.ModelMetadata.CustomMetadataMap["maas.model"]);
        Assert.Equal(string.Join(",", FashionMnist.ClassNames), session.ModelMetadata.CustomMetadataMap["maas.classes"]);
        Assert.Equal("Maas", session.ModelMetadata.ProducerName);
    }

    [Fact]
    public void Export_Graph_HasNamedInputsOutputsAndDynamicBatch()
    {
        var result = _trained.Get("small-cnn").Result;
        var model = ModelProto.Parser.ParseFrom(OnnxExporter.Export(result.Spec, result.Network, new Dictionary<string, string>()));

        Assert.Equal(OnnxExporter.OpsetVersion, model.OpsetImport.Single().Version);
        var input = Assert.Single(model.Graph.Input);
        Assert.Equal("input", input.Name);
        Assert.Equal("batch", input.Type.TensorType.Shape.Dim[0].DimParam);
        Assert.Equal([1L, 28, 28], input.Type.TensorType.Shape.Dim.Skip(1).Select(d => d.DimValue));
        Assert.Equal(["logits", "probabilities", "embedding"], model.Graph.Output.Select(o => o.Name));
        Assert.All(model.Graph.Output, o => Assert.Equal("batch", o.Type.TensorType.Shape.Dim[0].DimParam));
        Assert.DoesNotContain(model.Graph.Node, n => n.OpType == "Dropout");
        Assert.Equal(2, model.Graph.Node.Count(n => n.OpType == "BatchNormalization"));
        Assert.Empty(model.MetadataProps);

        using var session = new InferenceSession(model.ToByteArray());
        Assert.Equal("batch", session.InputMetadata["input"].SymbolicDimensions[0]);
    }

    [Fact]
    public void Export_WithAnotherNetworksSpec_Throws()
    {
        var result = _trained.Get("small-cnn").Result;
        var other = Architectures.Create("small-cnn", 1, 28, 28, 5);

        Assert.Throws<ArgumentException>(() => OnnxExporter.Export(other, result.Network, s_metadata));
    }

    private static void AssertClose(float[] expected, float[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(
                Math.Abs(expected[i] - actual[i]) <= Tolerance,
                $"element {i}: TorchSharp {expected[i]}, ONNX Runtime {actual[i]}");
        }
    }

    /// <summary>One network per architecture, trained for a few steps on real images, shared by the tests above.</summary>
    public sealed class TrainedNetworks : IDisposable
    {
        /// <summary>ResNet-18 on inputs large enough for ImageNet's stem (7x7 stride 2 and max-pool).</summary>
        public const string ResNet18ImageNetStem = "resnet18@72px";

        private readonly Dictionary<string, (TrainingResult Result, TrainingData HeldOut)> _results = [];

        public TrainedNetworks()
        {
            // 512 images in batches of 64: eight steps, enough to move weights and batch-norm statistics well away
            // from their initial values.
            var data = FashionMnist.Test.Slice(0, 512);
            var heldOut = FashionMnist.Test.Slice(9000, 30);
            foreach (var architecture in Architectures.Names.Where(n => !n.StartsWith("resnet", StringComparison.Ordinal)))
            {
                Train(architecture, architecture, data, heldOut, batchSize: 64);
            }

            // ResNets cost far more per image: fewer, smaller images (14x14, the small-image stem) keep the fixture
            // to seconds; four steps of 32 still move every batch norm's statistics.
            Train("resnet18", "resnet18", Images.Shrink(data.Slice(0, 128)), Images.Shrink(heldOut), batchSize: 32);
            Train("resnet34", "resnet34", Images.Shrink(data.Slice(0, 128)), Images.Shrink(heldOut), batchSize: 32);
            Train(ResNet18ImageNetStem, "resnet18", Images.Enlarge(data.Slice(0, 64), 72), Images.Enlarge(heldOut, 72), batchSize: 32);
        }

        public (TrainingResult Result, TrainingData HeldOut) Get(string key) => _results[key];

        public void Dispose()
        {
            foreach (var (result, _) in _results.Values)
            {
                result.Dispose();
            }
        }

        private void Train(string key, string architecture, TrainingData data, TrainingData heldOut, int batchSize)
        {
            var options = new TrainingOptions { Architecture = architecture, Epochs = 1, BatchSize = batchSize };
            _results[key] = (new Trainer().TrainAsync(data, null, options).GetAwaiter().GetResult(), heldOut);
        }
    }
}
