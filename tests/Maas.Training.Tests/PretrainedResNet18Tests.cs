using Maas.Core.Pipelines;
using Maas.Imaging;
using Maas.Training.Evaluation;
using Maas.Training.Export;
using Maas.Training.Networks;
using Maas.Training.Pretrained;
using Microsoft.ML.OnnxRuntime;
using Onnx;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace Maas.Training.Tests;

/// <summary>
/// The imported backbone is checked against the featurizer itself: ONNX Runtime runs the package's own ONNX files on
/// real photographs and Fashion-MNIST images decoded by our Imaging code, and TorchSharp must compute the same
/// 512 features.
/// </summary>
[Collection(TorchCollection.Name)]
public sealed class PretrainedResNet18Tests(ITestOutputHelper output)
{
    private const float Tolerance = 1e-4f;
    private const int Side = 224;
    private const string Photos = "/usr/share/backgrounds/mate/nature";

    private static string PreprocessPath => Path.Combine(ImageNetResNet18.ModelFolder, "ResNetPrepOnnx", "ResNetPreprocess.onnx");

    [Fact]
    public void Featurizer_Graph_IsAnUnfoldedResNet18OverBgrMinusAMeanImage()
    {
        var model = ModelProto.Parser.ParseFrom(File.ReadAllBytes(ImageNetResNet18.DefaultModelPath));
        var graph = model.Graph;

        Assert.Equal([1L, 3, 224, 224], graph.Input.Single().Type.TensorType.Shape.Dim.Select(d => d.DimValue));
        Assert.Equal([1L, 512, 1, 1], graph.Output.Single().Type.TensorType.Shape.Dim.Select(d => d.DimValue));
        // Nine basic blocks (2, 2, 2, 3), one more than torchvision's ResNet-18: 1 + 18 + 3 convolutions, each
        // without bias and with a batch norm of its own (not folded).
        Assert.Equal(22, graph.Node.Count(n => n.OpType == "Conv"));
        Assert.Equal(22, graph.Node.Count(n => n.OpType == "BatchNormalization"));
        Assert.All(graph.Node.Where(n => n.OpType == "Conv"), n => Assert.Equal(2, n.Input.Count));
        Assert.Equal(9, graph.Node.Count(n => n.OpType == "Add"));
        Assert.Equal(ImageNetResNet18.BlocksPerStage.Sum(), graph.Node.Count(n => n.OpType == "Add"));

        var preprocess = ModelProto.Parser.ParseFrom(File.ReadAllBytes(PreprocessPath)).Graph;
        Assert.Equal(["Split", "Concat", "Sub"], preprocess.Node.Select(n => n.OpType));
        var meanImage = preprocess.Initializer.Single().FloatData.ToArray();
        for (int c = 0; c < 3; c++)
        {
            // The mean image is BGR; ChannelMeans is RGB.
            double average = meanImage.AsSpan(c * Side * Side, Side * Side).ToArray().Average();
            Assert.Equal(ImageNetResNet18.ChannelMeans[2 - c], average, 3);
        }
    }

    [Fact]
    public void Features_OnRealImages_MatchTheOnnxFeaturizer()
    {
        var images = RealImages(ColorMode.Rgb);
        using var preprocess = new InferenceSession(PreprocessPath);
        using var featurizer = new InferenceSession(ImageNetResNet18.DefaultModelPath);

        // The featurizer's own preprocessing (BGR minus its mean image) feeds both; in RGB order for ours, whose
        // input layer is then the identity.
        var bgr = images.Select(i => RunSingle(preprocess, i.Pixels, 3)).ToList();
        var expected = bgr.Select(b => RunSingle(featurizer, b, 3)).ToList();
        using var network = ImportedNetwork(3, new NormalizeOp([.. ImageNetResNet18.ChannelMeans.Select(m => m / 255f)], [1f / 255]));
        var actual = Features(network, [.. bgr.SelectMany(ReverseChannels)], images.Count, 3);

        AssertClose(images, expected, actual);
    }

    [Fact]
    public void Features_GrayscaleWithSummedStem_MatchTheFeaturizerOnEqualChannels()
    {
        var images = RealImages(ColorMode.Gray);
        using var featurizer = new InferenceSession(ImageNetResNet18.DefaultModelPath);
        float mean = ImageNetResNet18.ChannelMeans.Average();
        var centred = images.Select(i => i.Pixels.Select(p => p - mean).ToArray()).ToList();

        var expected = centred.Select(g => RunSingle(featurizer, [.. g, .. g, .. g], 3)).ToList();
        using var network = ImportedNetwork(1, new NormalizeOp([mean / 255f], [1f / 255]));
        var actual = Features(network, [.. centred.SelectMany(g => g)], images.Count, 1);

        AssertClose(images, expected, actual);
    }

    [Fact]
    public void Features_FromPipelineNormalizedPixels_MapOntoTheFeaturizersInput()
    {
        // The usual case: a pipeline scaled pixels to [-1, 1]; the input layer must turn them into 0-255 minus the
        // channel means. The featurizer gets exactly that, built by hand.
        var images = RealImages(ColorMode.Rgb).Take(2).ToList();
        using var featurizer = new InferenceSession(ImageNetResNet18.DefaultModelPath);
        var expected = images.Select(i => RunSingle(featurizer, ReverseChannels(Subtract(i.Pixels, ImageNetResNet18.ChannelMeans)), 3)).ToList();

        using var network = ImportedNetwork(3, new NormalizeOp([0.5f], [0.5f]));
        var normalized = images.SelectMany(i => i.Pixels.Select(p => ((p / 255f) - 0.5f) / 0.5f)).ToArray();
        var actual = Features(network, normalized, images.Count, 3);

        AssertClose(images, expected, actual);
    }

    [Fact]
    public async Task Train_FrozenBackbone_ChangesOnlyTheHead()
    {
        var data = Images.Enlarge(FashionMnist.Test.Slice(0, 32), 32);
        var options = new TrainingOptions
        {
            Architecture = "resnet18", Pretrained = "imagenet", FreezeBackbone = true, Epochs = 1, BatchSize = 16, LearningRate = 1e-2,
        };
        using var result = await new Trainer().TrainAsync(data, null, options);

        // The trainer seeds before building, so the same seed gives the same new head.
        manual_seed(options.Seed);
        using var before = new Network(ImageNetResNet18.CreateSpec(3, 32, 32, 10, null));
        ImageNetResNet18.LoadWeights(before);
        var initial = State(before);
        var trained = State(result.Network);

        Assert.Equal(before.Spec, result.Spec);
        Assert.True(result.Network.BackboneFrozen);
        var head = $"layers.{result.Spec.Layers.Count - 1}.";
        Assert.All(initial.Where(p => !p.Key.StartsWith(head, StringComparison.Ordinal)), p => Assert.Equal(p.Value, trained[p.Key]));
        Assert.NotEqual(initial[head + "weight"], trained[head + "weight"]);
        Assert.NotEqual(initial[head + "bias"], trained[head + "bias"]);
        Assert.Contains("layers.2.running_mean", initial.Keys);
    }

    [Fact]
    public async Task Train_FineTuned_ChangesTheBackboneAndExportsFaithfully()
    {
        var data = Images.Enlarge(FashionMnist.Test.Slice(0, 32), 32);
        var options = new TrainingOptions { Architecture = "resnet18", Pretrained = "imagenet", Epochs = 1, BatchSize = 16 };
        using var result = await new Trainer().TrainAsync(data, null, options);

        using var before = new Network(ImageNetResNet18.CreateSpec(3, 32, 32, 10, null));
        ImageNetResNet18.LoadWeights(before);
        Assert.NotEqual(State(before)["layers.1.weight"], State(result.Network)["layers.1.weight"]);
        Assert.NotEqual(State(before)["layers.2.running_mean"], State(result.Network)["layers.2.running_mean"]);

        // The input layer is part of the exported model: ONNX Runtime must agree, at batch 1 and 7.
        using var session = new InferenceSession(OnnxExporter.Export(result.Spec, result.Network, new Dictionary<string, string>()));
        foreach (int batch in new[] { 1, 7 })
        {
            var pixels = Images.Enlarge(FashionMnist.Test.Slice(9000, batch), 32).Pixels;
            var torch = Evaluator.Predict(result.Network, pixels, batch);
            using var input = OrtValue.CreateTensorValueFromMemory(pixels, [batch, 3, 32, 32]);
            using var runOptions = new RunOptions();
            using var outputs = session.Run(runOptions, [OnnxExporter.InputName], [input], [OnnxExporter.LogitsName]);
            var logits = outputs[0].GetTensorDataAsSpan<float>().ToArray();
            Assert.All(logits.Zip(torch.Logits), p => Assert.True(Math.Abs(p.First - p.Second) <= Tolerance, $"{p.First} vs {p.Second}"));
        }
    }

    [Fact]
    public void LoadWeights_MissingFile_ThrowsUnavailableNamingThePackage()
    {
        using var network = new Network(ImageNetResNet18.CreateSpec(3, 32, 32, 2, null));

        var error = Assert.Throws<Core.Errors.UnavailableException>(() => ImageNetResNet18.LoadWeights(network, "/nonexistent/ResNet18.onnx"));
        Assert.Contains("Microsoft.ML.DnnImageFeaturizer.ResNet18", error.Message, StringComparison.Ordinal);
    }

    private void AssertClose(IReadOnlyList<(string Name, float[] Pixels)> images, IReadOnlyList<float[]> expected, float[] actual)
    {
        for (int i = 0; i < images.Count; i++)
        {
            var ours = actual.AsSpan(i * 512, 512).ToArray();
            float maxDiff = expected[i].Zip(ours, (a, b) => Math.Abs(a - b)).Max();
            output.WriteLine($"{images[i].Name}: max |difference| {maxDiff:E2}, largest feature {expected[i].Max():F3}");
            Assert.True(expected[i].Count(f => f > 0) > 100, $"{images[i].Name}: the features are almost all zero");
            Assert.True(maxDiff <= Tolerance, $"{images[i].Name}: features differ by up to {maxDiff}");
        }
    }

    private static Network ImportedNetwork(int channels, NormalizeOp normalization)
    {
        var network = new Network(ImageNetResNet18.CreateSpec(channels, Side, Side, 10, normalization));
        ImageNetResNet18.LoadWeights(network);
        network.eval();
        return network;
    }

    private static float[] Features(Network network, float[] pixels, int count, int channels)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        return network.Features(tensor(pixels, [count, channels, Side, Side])).data<float>().ToArray();
    }

    // Four photographs and three Fashion-MNIST images (as PNG), decoded and resized by our pipeline to 224x224 on
    // the 0-255 scale, which is what the featurizer's preprocessing takes.
    private static List<(string Name, float[] Pixels)> RealImages(ColorMode color)
    {
        var executor = new PipelineExecutor(new PipelineSpec([new DecodeOp(color), new ResizeOp(Side, Side), new NormalizeOp([0f], [1f / 255])]));
        var images = Directory.GetFiles(Photos, "*.jpg").Order(StringComparer.Ordinal).Take(4)
            .Select(path => (Path.GetFileName(path), executor.Run(File.ReadAllBytes(path), path)))
            .ToList();
        foreach (int index in new[] { 0, 1, 2 })
        {
            var gray = FashionMnist.Test.Slice(index, 1).Pixels.Select(p => (byte)Math.Round(p * 255)).ToArray();
            var png = ImageEncoder.EncodePng(gray, 28, 28, 1);
            images.Add(($"fashion-mnist #{index}", executor.Run(png, $"fashion-mnist #{index}")));
        }

        return images;
    }

    private static float[] RunSingle(InferenceSession session, float[] chw, int channels)
    {
        using var input = OrtValue.CreateTensorValueFromMemory(chw, [1, channels, Side, Side]);
        using var runOptions = new RunOptions();
        using var outputs = session.Run(runOptions, [session.InputNames[0]], [input], [session.OutputNames[0]]);
        return outputs[0].GetTensorDataAsSpan<float>().ToArray();
    }

    private static float[] ReverseChannels(float[] chw)
    {
        int plane = chw.Length / 3;
        return [.. chw.AsSpan(2 * plane, plane), .. chw.AsSpan(plane, plane), .. chw.AsSpan(0, plane)];
    }

    private static float[] Subtract(float[] chw, IReadOnlyList<float> channelMeans)
    {
        int plane = chw.Length / channelMeans.Count;
        return [.. chw.Select((p, i) => p - channelMeans[i / plane])];
    }

    private static Dictionary<string, float[]> State(Network network) =>
        network.state_dict().Where(p => p.Value.dtype == ScalarType.Float32).ToDictionary(p => p.Key, p => p.Value.data<float>().ToArray());
}
