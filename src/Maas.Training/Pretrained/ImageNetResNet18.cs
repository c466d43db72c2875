using System.Runtime.InteropServices;
using Maas.Core.Errors;
using Maas.Core.Pipelines;
using Maas.Training.Networks;
using Onnx;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Maas.Training.Pretrained;

/// <summary>
/// The ImageNet ResNet-18 of the NuGet package Microsoft.ML.DnnImageFeaturizer.ResNet18, imported into a
/// TorchSharp <c>resnet18</c> for transfer learning: every backbone weight and batch-norm statistic is read from
/// its ONNX graph, and the head is new, sized to the dataset's classes.
/// </summary>
/// <remarks>
/// Facts about the file, read with OnnxSharp (see the tests): a CNTK 2.6 export, ONNX opset 8, one input
/// <c>Input247</c> (1x3x224x224, a fixed batch of 1) and one output <c>Pooling395_Output_0</c>, the 512 pooled
/// features (1x512x1x1), with no classifier. It is a ResNet of basic blocks with ImageNet's stem (7x7 with stride 2,
/// 3x3 max-pool) and a 7x7 average pool, but not quite torchvision's ResNet-18: its last stage has three blocks, not
/// two (2, 2, 2, 3: nine blocks, 22 convolutions, 16.4 million parameters). The network built here copies that
/// layout, so that every weight is used and the features are the featurizer's. Batch norm is not folded: every
/// convolution is bias-free and followed by its own BatchNormalization node (epsilon 1e-5, as PyTorch's). CNTK pads
/// its stride-2 convolutions and max-pool asymmetrically (nothing on the bottom and right), which for even sizes
/// gives exactly what PyTorch's symmetric padding gives. Its input is what the package's <c>ResNetPreprocess.onnx</c> makes:
/// channels in BGR order, on the 0-255 scale, minus a 224x224 mean image, with no division by a deviation.
/// </remarks>
public static class ImageNetResNet18
{
    /// <summary>The value of <see cref="TrainingOptions.Pretrained"/> that asks for these weights.</summary>
    public const string Name = "imagenet";

    /// <summary>The folder of the package's models, copied beside the assemblies by the build.</summary>
    public static string ModelFolder => Path.Combine(AppContext.BaseDirectory, "DnnImageModels");

    /// <summary>The path of the featurizer, <c>ResNet18.onnx</c>, beside the assemblies.</summary>
    public static string DefaultModelPath => Path.Combine(ModelFolder, "ResNet18Onnx", "ResNet18.onnx");

    /// <summary>
    /// The mean the featurizer subtracts from each RGB channel, on the 0-255 scale: the average over the 224x224 of
    /// each channel of the package's mean image (which is BGR). A network for inputs of any size subtracts these
    /// per-channel values instead of the mean image; its pixels differ from the mean image's by up to 13 levels.
    /// </summary>
    public static IReadOnlyList<float> ChannelMeans { get; } = [123.151634f, 115.902885f, 103.06262f];

    /// <summary>Residual blocks in each of the four stages of the featurizer.</summary>
    public static IReadOnlyList<int> BlocksPerStage { get; } = [2, 2, 2, 3];

    /// <summary>
    /// The spec of a ResNet with ImageNet's stem and the featurizer's blocks (<see cref="BlocksPerStage"/>) whose backbone takes these weights: a fixed first layer that maps
    /// the data's pixels to what the featurizer expects (0-255, minus <see cref="ChannelMeans"/>), then the backbone,
    /// then a linear head with one output per class.
    /// </summary>
    /// <param name="channels">1 (grayscale: the first convolution sums its RGB weights) or 3 (RGB).</param>
    /// <param name="height">Height of an input image in pixels; 32 or more (ImageNet's stem halves it five times).</param>
    /// <param name="width">Width of an input image in pixels.</param>
    /// <param name="classCount">Number of classes.</param>
    /// <param name="inputNormalization">How the data's pixels were normalized from [0, 1]; null when they were not.</param>
    /// <exception cref="InvalidInputException">The channels are neither 1 nor 3, or the image is too small.</exception>
    public static NetworkSpec CreateSpec(int channels, int height, int width, int classCount, NormalizeOp? inputNormalization)
    {
        if (channels is not (1 or 3))
        {
            throw new InvalidInputException($"The pretrained ImageNet ResNet-18 takes 1 (grayscale) or 3 (RGB) channels, not {channels}.");
        }

        // Data x = (p - mean) / std with p in [0, 1]; the featurizer wants 255·p - μ = x · 255·std + (255·mean - μ).
        var scale = new float[channels];
        var shift = new float[channels];
        for (int c = 0; c < channels; c++)
        {
            float mean = inputNormalization?.MeanOf(c) ?? 0f;
            float std = inputNormalization?.StdOf(c) ?? 1f;

            // A gray image stands for R = G = B; the summed convolution then sees one mean, the three's average.
            float channelMean = channels == 1 ? ChannelMeans.Average() : ChannelMeans[c];
            scale[c] = 255f * std;
            shift[c] = (255f * mean) - channelMean;
        }

        List<LayerSpec> layers = [new ChannelAffineLayer(scale, shift), .. Architectures.ResNetLayers(channels, classCount, BlocksPerStage, imageNetStem: true)];
        return Architectures.Checked($"{Architectures.ResNet18} (pretrained: {Name})", new NetworkSpec(channels, height, width, classCount, layers));
    }

    /// <summary>
    /// Copies the featurizer's weights and batch-norm statistics into the backbone of a network built from
    /// <see cref="CreateSpec"/>, leaving its head as it is.
    /// </summary>
    /// <param name="network">The network to fill.</param>
    /// <param name="modelPath">The featurizer's ONNX file; null for <see cref="DefaultModelPath"/>.</param>
    /// <exception cref="UnavailableException">The file is missing or is not the ResNet-18 featurizer.</exception>
    /// <exception cref="ArgumentException">The network was not built from <see cref="CreateSpec"/>.</exception>
    public static void LoadWeights(Network network, string? modelPath = null)
    {
        ArgumentNullException.ThrowIfNull(network);
        modelPath ??= DefaultModelPath;
        var layers = network.Spec.Layers;
        if (layers.Count != 5 + BlockCount + 3 || layers[0] is not ChannelAffineLayer || layers[1] is not Conv2dLayer { Kernel: 7 }
            || layers.Skip(5).Take(BlockCount).Any(l => l is not ResidualBlockLayer))
        {
            throw new ArgumentException("The network is not an ImageNet ResNet-18 built from ImageNetResNet18.CreateSpec.", nameof(network));
        }

        var source = FeaturizerWeights.Read(modelPath);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var stem = (Conv2d)network.LayerModule(1);
        var stemWeight = source.Stem.Weight;

        // The featurizer reads BGR; this network reads RGB (or gray, which stands for equal R, G and B).
        stemWeight = stemWeight.flip(1);
        if (stem.weight!.shape[1] == 1)
        {
            stemWeight = stemWeight.sum(1, keepdim: true);
        }

        Copy(stem.weight!, stemWeight, "stem convolution");
        CopyNorm((BatchNorm2d)network.LayerModule(2), source.Stem);
        for (int i = 0; i < BlockCount; i++)
        {
            var block = (ResidualBlock)network.LayerModule(5 + i);
            var (first, second, projection) = source.Blocks[i];
            Copy(block.Conv1.weight!, first.Weight, $"block {i + 1} conv1");
            CopyNorm(block.Norm1, first);
            Copy(block.Conv2.weight!, second.Weight, $"block {i + 1} conv2");
            CopyNorm(block.Norm2, second);
            if ((block.ProjectionConv is null) != (projection is null))
            {
                throw new UnavailableException($"{modelPath}: block {i + 1} has a shortcut projection in one network but not the other.");
            }

            if (projection is not null)
            {
                Copy(block.ProjectionConv!.weight!, projection.Weight, $"block {i + 1} shortcut");
                CopyNorm(block.ProjectionNorm!, projection);
            }
        }
    }

    private static int BlockCount => BlocksPerStage.Sum();

    private static void CopyNorm(BatchNorm2d target, ConvWithNorm source)
    {
        Copy(target.weight!, source.NormScale, "batch-norm scale");
        Copy(target.bias!, source.NormShift, "batch-norm shift");
        Copy(target.running_mean!, source.NormMean, "batch-norm mean");
        Copy(target.running_var!, source.NormVariance, "batch-norm variance");
    }

    private static void Copy(Tensor target, Tensor source, string what)
    {
        if (!target.shape.SequenceEqual(source.shape))
        {
            throw new UnavailableException(
                $"The featurizer's {what} is [{string.Join(", ", source.shape)}] but the network's is [{string.Join(", ", target.shape)}].");
        }

        target.copy_(source);
    }

    /// <summary>One convolution of the featurizer with the batch norm that follows it, as tensors.</summary>
    private sealed record ConvWithNorm(Tensor Weight, Tensor NormScale, Tensor NormShift, Tensor NormMean, Tensor NormVariance);

    /// <summary>The featurizer's weights in ResNet-18 order, read from its graph's structure rather than its generated names.</summary>
    private sealed record FeaturizerWeights(ConvWithNorm Stem, IReadOnlyList<(ConvWithNorm First, ConvWithNorm Second, ConvWithNorm? Projection)> Blocks)
    {
        public static FeaturizerWeights Read(string path)
        {
            if (!File.Exists(path))
            {
                throw new UnavailableException(
                    $"The pretrained ResNet-18 is missing: {path} (it comes from the NuGet package Microsoft.ML.DnnImageFeaturizer.ResNet18, copied by the build).");
            }

            ModelProto model;
            try
            {
                model = ModelProto.Parser.ParseFrom(File.ReadAllBytes(path));
            }
            catch (Google.Protobuf.InvalidProtocolBufferException e)
            {
                throw new UnavailableException($"{path} is not an ONNX model: {e.Message}", e);
            }

            var graph = model.Graph;
            var initializers = graph.Initializer.ToDictionary(t => t.Name);
            var normByInput = graph.Node.Where(n => n.OpType == "BatchNormalization").ToDictionary(n => n.Input[0]);

            // CNTK names tensors by creation order ("Parameter91"), which says nothing about their role, so the
            // roles come from the graph: in node order the stem is the one 7x7 convolution, the 3x3 ones are the
            // blocks' two each, and the 1x1 ones are the shortcuts of the three blocks that change shape.
            var convs = graph.Node.Where(n => n.OpType == "Conv").ToList();
            int Kernel(NodeProto n) => (int)n.Attribute.Single(a => a.Name == "kernel_shape").Ints[0];
            var stem = convs.Where(n => Kernel(n) == 7).ToList();
            var threes = convs.Where(n => Kernel(n) == 3).ToList();
            var ones = convs.Where(n => Kernel(n) == 1).ToList();
            if (stem.Count != 1 || threes.Count != 2 * BlockCount || ones.Count != 3 || convs.Any(n => n.Input.Count != 2))
            {
                throw new UnavailableException(
                    $"{path} is not the ResNet-18 featurizer: it has {stem.Count} 7x7, {threes.Count} 3x3 and {ones.Count} 1x1 convolutions "
                    + $"(expected 1, {2 * BlockCount} and 3, all without bias).");
            }

            ConvWithNorm Read(NodeProto conv)
            {
                if (!normByInput.TryGetValue(conv.Output[0], out var norm))
                {
                    throw new UnavailableException($"{path}: convolution {conv.Name} is not followed by batch normalization.");
                }

                return new ConvWithNorm(Tensor(conv.Input[1]), Tensor(norm.Input[1]), Tensor(norm.Input[2]), Tensor(norm.Input[3]), Tensor(norm.Input[4]));
            }

            Tensor Tensor(string name)
            {
                if (!initializers.TryGetValue(name, out var proto) || proto.DataType != (int)TensorProto.Types.DataType.Float)
                {
                    throw new UnavailableException($"{path}: weight {name} is missing or not float32.");
                }

                // ONNX stores floats either packed (raw_data, little-endian) or in float_data; CNTK uses the latter.
                float[] values = proto.RawData.Length > 0
                    ? MemoryMarshal.Cast<byte, float>(proto.RawData.Span).ToArray()
                    : [.. proto.FloatData];
                return tensor(values, [.. proto.Dims]);
            }

            var blocks = new List<(ConvWithNorm, ConvWithNorm, ConvWithNorm?)>(BlockCount);
            int projection = 0;
            for (int i = 0; i < BlockCount; i++)
            {
                // The first block of stages 2, 3 and 4 changes shape and has the shortcut.
                bool projects = i is 2 or 4 or 6;
                blocks.Add((Read(threes[2 * i]), Read(threes[(2 * i) + 1]), projects ? Read(ones[projection++]) : null));
            }

            return new FeaturizerWeights(Read(stem[0]), blocks);
        }
    }
}
