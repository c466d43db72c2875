using Google.Protobuf;
using Maas.Training.Networks;
using Onnx;
using TorchSharp.Modules;
using static Maas.Training.Export.OnnxGraphBuilder;
using TorchModule = TorchSharp.torch.nn.Module<TorchSharp.torch.Tensor, TorchSharp.torch.Tensor>;

namespace Maas.Training.Export;

/// <summary>
/// Writes a trained <see cref="Network"/> as an ONNX model for serving. The graph takes <c>input</c>, float32
/// (batch, C, H, W) with a dynamic batch axis named <c>batch</c>, and gives <c>logits</c> and
/// <c>probabilities</c> (softmax over the classes), both (batch, ClassCount), and <c>embedding</c>, the input of the
/// final linear layer (batch, its input features), which monitoring compares with the reference's. It is the
/// inference form of the network: batch normalization uses its running statistics and dropout is left out.
/// </summary>
public static class OnnxExporter
{
    /// <summary>Name of the graph input.</summary>
    public const string InputName = "input";

    /// <summary>Name of the output holding the raw class scores.</summary>
    public const string LogitsName = "logits";

    /// <summary>Name of the output holding the softmax of the logits.</summary>
    public const string ProbabilitiesName = "probabilities";

    /// <summary>Name of the output holding the penultimate features, the input of the final linear layer.</summary>
    public const string EmbeddingName = "embedding";

    /// <summary>Name of the symbolic batch dimension of the input and outputs.</summary>
    public const string BatchDimensionName = "batch";

    /// <summary>The ONNX operator set the graph is written against (17: ONNX 1.12, served by every current runtime).</summary>
    public const int OpsetVersion = 17;

    // IR version 8 is what ONNX writes for opsets up to 17; a runtime rejects a model whose IR is newer than it knows.
    private const long IrVersion = 8;

    /// <summary>Serializes the network in the ONNX format.</summary>
    /// <param name="spec">The network's spec; it must be the spec the network was built from.</param>
    /// <param name="network">The trained network whose current weights and batch-norm statistics are written.</param>
    /// <param name="metadata">Key-value pairs stored in the model's <c>metadata_props</c> (for example the class names).</param>
    /// <returns>The bytes of an ONNX <c>ModelProto</c>.</returns>
    /// <exception cref="ArgumentException">The network was built from a different spec.</exception>
    public static byte[] Export(NetworkSpec spec, Network network, IReadOnlyDictionary<string, string> metadata)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(metadata);
        if (!spec.Equals(network.Spec))
        {
            throw new ArgumentException("The network was built from a different spec than the one given.", nameof(spec));
        }

        var builder = new OnnxGraphBuilder(new GraphProto { Name = "maas_network" });
        var batch = Dimension.Named(BatchDimensionName);
        builder.AddFloatInput(InputName, batch, Dimension.Fixed(spec.InputChannels), Dimension.Fixed(spec.InputHeight), Dimension.Fixed(spec.InputWidth));

        string current = InputName;
        var classifier = LastLinear(spec);
        string? embedding = null;
        for (int i = 0; i < spec.Layers.Count; i++)
        {
            if (i == classifier)
            {
                embedding = current;
            }

            current = AddLayer(builder, i, spec.Layers[i], network.LayerModule(i), current);
        }

        // The last layer's output is the logits; rename it rather than adding an Identity node, unless no node
        // produced it (a network that ends in dropout).
        var nodes = builder.Graph.Node;
        if (current != InputName && nodes.Count > 0 && nodes[^1].Output[0] == current)
        {
            nodes[^1].Output[0] = LogitsName;
        }
        else
        {
            builder.AddNode("Identity", "logits", [current], LogitsName);
        }

        builder.AddNode("Softmax", "softmax", [LogitsName], ProbabilitiesName, Int("axis", 1));
        builder.AddFloatOutput(LogitsName, batch, Dimension.Fixed(spec.ClassCount));
        builder.AddFloatOutput(ProbabilitiesName, batch, Dimension.Fixed(spec.ClassCount));
        if (embedding is not null && spec.Layers[classifier] is LinearLayer last)
        {
            builder.AddNode("Identity", "embedding", [embedding], EmbeddingName);
            builder.AddFloatOutput(EmbeddingName, batch, Dimension.Fixed(last.InFeatures));
        }

        var model = new ModelProto
        {
            IrVersion = IrVersion,
            ProducerName = "Maas",
            ProducerVersion = typeof(OnnxExporter).Assembly.GetName().Version?.ToString() ?? "0.0.0",
            Graph = builder.Graph,
        };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = string.Empty, Version = OpsetVersion });
        foreach (var (key, value) in metadata.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            model.MetadataProps.Add(new StringStringEntryProto { Key = key, Value = value });
        }

        return model.ToByteArray();
    }

    // The classifier head: the last linear layer, whose input is the embedding; -1 for a network without one.
    private static int LastLinear(NetworkSpec spec)
    {
        for (int i = spec.Layers.Count - 1; i >= 0; i--)
        {
            if (spec.Layers[i] is LinearLayer)
            {
                return i;
            }
        }

        return -1;
    }

    // Adds the nodes of one layer and returns the name of its output (its input, for a layer with no node).
    private static string AddLayer(OnnxGraphBuilder builder, int index, LayerSpec layer, TorchModule module, string input)
    {
        // Weight names follow TorchSharp's state_dict ("layers.3.weight"), so a graph tensor traces back to its parameter.
        string prefix = $"layers.{index}";
        string output = $"layer{index}";
        switch (layer)
        {
            case Conv2dLayer conv:
                return AddConv(builder, prefix, (Conv2d)module, conv.Kernel, conv.Stride, conv.Padding, input, output);

            case BatchNorm2dLayer:
                return AddBatchNorm(builder, prefix, (BatchNorm2d)module, input, output);

            case ReluLayer:
                return builder.AddNode("Relu", $"{prefix}.relu", [input], output).Output[0];

            case MaxPool2dLayer pool:
                return builder.AddNode(
                    "MaxPool",
                    $"{prefix}.maxpool",
                    [input],
                    output,
                    Ints("kernel_shape", pool.Kernel, pool.Kernel),
                    Ints("strides", pool.Stride, pool.Stride),
                    Ints("pads", pool.Padding, pool.Padding, pool.Padding, pool.Padding)).Output[0];

            case GlobalAveragePoolLayer:
                return builder.AddNode("GlobalAveragePool", $"{prefix}.global_average_pool", [input], output).Output[0];

            case FlattenLayer:
                return builder.AddNode("Flatten", $"{prefix}.flatten", [input], output, Int("axis", 1)).Output[0];

            case LinearLayer:
            {
                // Gemm computes A·Bᵀ + C with transB = 1, which is exactly Linear's x·Wᵀ + b with W stored (out, in).
                var linear = (Linear)module;
                return builder.AddNode(
                    "Gemm",
                    $"{prefix}.linear",
                    [input, builder.AddWeight($"{prefix}.weight", linear.weight!), builder.AddWeight($"{prefix}.bias", linear.bias!)],
                    output,
                    Int("transB", 1)).Output[0];
            }

            case DropoutLayer:
                // The identity at inference: no node, the next layer reads this layer's input.
                return input;

            case ResidualBlockLayer block:
                return AddResidualBlock(builder, prefix, block, (ResidualBlock)module, input, output);

            case ChannelAffineLayer affine:
            {
                long[] dims = [affine.Scale.Count, 1, 1];
                var scaled = builder.AddNode(
                    "Mul", $"{prefix}.scale", [input, builder.AddConstant($"{prefix}.scale", affine.Scale, dims)], $"{output}.scaled");
                return builder.AddNode(
                    "Add", $"{prefix}.shift", [scaled.Output[0], builder.AddConstant($"{prefix}.shift", affine.Shift, dims)], output).Output[0];
            }

            default:
                throw new NotSupportedException($"ONNX export has no operator for layer {layer}.");
        }
    }

    private static string AddResidualBlock(
        OnnxGraphBuilder builder, string prefix, ResidualBlockLayer block, ResidualBlock module, string input, string output)
    {
        string x = AddConv(builder, $"{prefix}.conv1", module.Conv1, 3, block.Stride, 1, input, $"{output}.conv1");
        x = AddBatchNorm(builder, $"{prefix}.bn1", module.Norm1, x, $"{output}.bn1");
        x = builder.AddNode("Relu", $"{prefix}.relu1", [x], $"{output}.relu1").Output[0];
        x = AddConv(builder, $"{prefix}.conv2", module.Conv2, 3, 1, 1, x, $"{output}.conv2");
        x = AddBatchNorm(builder, $"{prefix}.bn2", module.Norm2, x, $"{output}.bn2");
        string shortcut = input;
        if (module.ProjectionConv is { } projection && module.ProjectionNorm is { } projectionNorm)
        {
            shortcut = AddConv(builder, $"{prefix}.downsample.0", projection, 1, block.Stride, 0, input, $"{output}.downsample.0");
            shortcut = AddBatchNorm(builder, $"{prefix}.downsample.1", projectionNorm, shortcut, $"{output}.downsample.1");
        }

        var sum = builder.AddNode("Add", $"{prefix}.add", [x, shortcut], $"{output}.add");
        return builder.AddNode("Relu", $"{prefix}.relu2", [sum.Output[0]], output).Output[0];
    }

    private static string AddConv(OnnxGraphBuilder builder, string prefix, Conv2d conv, int kernel, int stride, int padding, string input, string output)
    {
        List<string> inputs = [input, builder.AddWeight($"{prefix}.weight", conv.weight!)];
        if (conv.bias is { } bias)
        {
            inputs.Add(builder.AddWeight($"{prefix}.bias", bias));
        }

        return builder.AddNode(
            "Conv",
            $"{prefix}.conv",
            [.. inputs],
            output,
            Ints("kernel_shape", kernel, kernel),
            Ints("strides", stride, stride),
            Ints("pads", padding, padding, padding, padding)).Output[0];
    }

    private static string AddBatchNorm(OnnxGraphBuilder builder, string prefix, BatchNorm2d norm, string input, string output) =>
        builder.AddNode(
            "BatchNormalization",
            $"{prefix}.batchnorm",
            [
                input,
                builder.AddWeight($"{prefix}.weight", norm.weight!),
                builder.AddWeight($"{prefix}.bias", norm.bias!),
                builder.AddWeight($"{prefix}.running_mean", norm.running_mean!),
                builder.AddWeight($"{prefix}.running_var", norm.running_var!),
            ],
            output,
            Float("epsilon", (float)norm.eps)).Output[0];
}
