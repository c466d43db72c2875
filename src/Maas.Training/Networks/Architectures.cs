using Maas.Core.Errors;

namespace Maas.Training.Networks;

/// <summary>The named network architectures a run can ask for, each sized to its input and class count.</summary>
public static class Architectures
{
    /// <summary>The architecture used when a run names none: <c>small-cnn</c>.</summary>
    public const string Default = SmallCnn;

    private const string SmallCnn = "small-cnn";
    private const string TinyCnn = "tiny-cnn";

    /// <summary>
    /// <c>compact-cnn</c>: two conv-batchnorm-relu-maxpool blocks of 16 and 32 filters and a linear head, about a
    /// quarter of <c>small-cnn</c>'s arithmetic; the fold models of label-issue detection, which train K of them.
    /// </summary>
    public const string CompactCnn = "compact-cnn";
    private const string Mlp = "mlp";

    /// <summary>ResNet-18: basic residual blocks, two per stage.</summary>
    public const string ResNet18 = "resnet18";

    /// <summary>ResNet-34: basic residual blocks, three, four, six and three per stage.</summary>
    public const string ResNet34 = "resnet34";

    /// <summary>
    /// The largest input side for which the ResNets use the small-image stem (a 3x3 convolution with stride 1 and no
    /// max-pool) instead of ImageNet's (7x7 with stride 2, then a 3x3 max-pool), which would shrink a 28x28 image to
    /// 7x7 before the first block.
    /// </summary>
    public const int SmallImageMaxSide = 64;

    // Channels of the four stages; every ResNet with basic blocks uses these.
    private static readonly int[] s_stageChannels = [64, 128, 256, 512];

    /// <summary>The names <see cref="Create"/> accepts.</summary>
    public static IReadOnlyList<string> Names { get; } = [SmallCnn, CompactCnn, TinyCnn, Mlp, ResNet18, ResNet34];

    /// <summary>Builds the spec of a named architecture for inputs of the given size and a number of classes.</summary>
    /// <param name="name">
    /// <c>small-cnn</c>: two conv-batchnorm-relu-maxpool blocks (32 and 64 filters) and a 128-unit hidden layer with
    /// dropout; about 0.90 test accuracy on Fashion-MNIST after two epochs. <c>tiny-cnn</c>: two small conv blocks
    /// and global average pooling, for quick experiments and any input size. <c>mlp</c>: one 128-unit hidden layer,
    /// a baseline. <c>resnet18</c>, <c>resnet34</c>: ResNets of basic blocks with batch norm and global average
    /// pooling, with the small-image stem when neither side exceeds <see cref="SmallImageMaxSide"/>.
    /// </param>
    /// <param name="channels">Channels of an input image.</param>
    /// <param name="height">Height of an input image in pixels.</param>
    /// <param name="width">Width of an input image in pixels.</param>
    /// <param name="classCount">Number of classes.</param>
    /// <returns>A spec that has passed <see cref="NetworkSpec.Validate"/>.</returns>
    /// <exception cref="InvalidInputException">The name is unknown, or the architecture does not fit the input size.</exception>
    public static NetworkSpec Create(string name, int channels, int height, int width, int classCount)
    {
        ArgumentNullException.ThrowIfNull(name);
        IReadOnlyList<LayerSpec> layers = name switch
        {
            SmallCnn => SmallCnnLayers(channels, height, width, classCount),
            TinyCnn => TinyCnnLayers(channels, classCount),
            CompactCnn => CompactCnnLayers(channels, height, width, classCount),
            Mlp => MlpLayers(channels, height, width, classCount),
            ResNet18 => ResNetLayers(channels, classCount, BlocksOf(ResNet18), imageNetStem: Math.Max(height, width) > SmallImageMaxSide),
            ResNet34 => ResNetLayers(channels, classCount, BlocksOf(ResNet34), imageNetStem: Math.Max(height, width) > SmallImageMaxSide),
            _ => throw new InvalidInputException(
                $"Unknown architecture '{name}'; known architectures are: {string.Join(", ", Names)}."),
        };

        return Checked(name, new NetworkSpec(channels, height, width, classCount, layers));
    }

    /// <summary>The layers of a ResNet of basic blocks: stem, four stages, global average pooling, flatten, linear head.</summary>
    /// <param name="channels">Channels of an input image.</param>
    /// <param name="classCount">Number of classes.</param>
    /// <param name="blocksPerStage">Blocks in each of the four stages (2, 2, 2, 2 for ResNet-18).</param>
    /// <param name="imageNetStem">ImageNet's stem (7x7 stride 2, max-pool) rather than the small-image one (3x3 stride 1).</param>
    internal static List<LayerSpec> ResNetLayers(int channels, int classCount, IReadOnlyList<int> blocksPerStage, bool imageNetStem)
    {
        List<LayerSpec> layers = imageNetStem
            ? [new Conv2dLayer(channels, 64, Kernel: 7, Stride: 2, Padding: 3, Bias: false), new BatchNorm2dLayer(64), new ReluLayer(), new MaxPool2dLayer(3, 2, 1)]
            : [new Conv2dLayer(channels, 64, Kernel: 3, Stride: 1, Padding: 1, Bias: false), new BatchNorm2dLayer(64), new ReluLayer()];
        int inChannels = 64;
        for (int stage = 0; stage < s_stageChannels.Length; stage++)
        {
            for (int block = 0; block < blocksPerStage[stage]; block++)
            {
                // Each stage but the first halves the feature map in its first block.
                int stride = stage > 0 && block == 0 ? 2 : 1;
                layers.Add(new ResidualBlockLayer(inChannels, s_stageChannels[stage], stride));
                inChannels = s_stageChannels[stage];
            }
        }

        layers.AddRange([new GlobalAveragePoolLayer(), new FlattenLayer(), new LinearLayer(inChannels, classCount)]);
        return layers;
    }

    /// <summary>Blocks per stage of a named ResNet.</summary>
    internal static int[] BlocksOf(string resNet) => resNet == ResNet34 ? [3, 4, 6, 3] : [2, 2, 2, 2];

    /// <summary>Validates a spec built for a named architecture, naming the architecture and input size in the error.</summary>
    internal static NetworkSpec Checked(string name, NetworkSpec spec)
    {
        int channels = spec.InputChannels, height = spec.InputHeight, width = spec.InputWidth, classCount = spec.ClassCount;
        try
        {
            spec.Validate();
        }
        catch (InvalidInputException e)
        {
            throw new InvalidInputException(
                $"Architecture '{name}' does not fit {channels}x{height}x{width} inputs with {classCount} classes: {e.Message}", e);
        }

        return spec;
    }

    private static LayerSpec[] SmallCnnLayers(int channels, int height, int width, int classCount)
    {
        // Two 2x2 pools halve each side twice (28x28 becomes 7x7); the hidden layer reads what is left.
        long flattened = 64L * (height / 2 / 2) * (width / 2 / 2);
        return
        [
            new Conv2dLayer(channels, 32, Kernel: 3, Padding: 1),
            new BatchNorm2dLayer(32),
            new ReluLayer(),
            new MaxPool2dLayer(2, 2),
            new Conv2dLayer(32, 64, Kernel: 3, Padding: 1),
            new BatchNorm2dLayer(64),
            new ReluLayer(),
            new MaxPool2dLayer(2, 2),
            new FlattenLayer(),
            new LinearLayer((int)Math.Min(flattened, int.MaxValue), 128),
            new ReluLayer(),
            new DropoutLayer(0.25),
            new LinearLayer(128, classCount),
        ];
    }

    private static LayerSpec[] CompactCnnLayers(int channels, int height, int width, int classCount) =>
    [
        new Conv2dLayer(channels, 16, Kernel: 3, Padding: 1),
        new BatchNorm2dLayer(16),
        new ReluLayer(),
        new MaxPool2dLayer(2, 2),
        new Conv2dLayer(16, 32, Kernel: 3, Padding: 1),
        new BatchNorm2dLayer(32),
        new ReluLayer(),
        new MaxPool2dLayer(2, 2),
        new FlattenLayer(),
        new LinearLayer((int)Math.Min(32L * (height / 2 / 2) * (width / 2 / 2), int.MaxValue), classCount),
    ];

    private static LayerSpec[] TinyCnnLayers(int channels, int classCount) =>
    [
        new Conv2dLayer(channels, 8, Kernel: 3, Padding: 1),
        new BatchNorm2dLayer(8),
        new ReluLayer(),
        new MaxPool2dLayer(2, 2),
        new Conv2dLayer(8, 16, Kernel: 3, Padding: 1),
        new BatchNorm2dLayer(16),
        new ReluLayer(),
        new GlobalAveragePoolLayer(),
        new FlattenLayer(),
        new LinearLayer(16, classCount),
    ];

    private static LayerSpec[] MlpLayers(int channels, int height, int width, int classCount) =>
    [
        new FlattenLayer(),
        new LinearLayer((int)Math.Min((long)channels * height * width, int.MaxValue), 128),
        new ReluLayer(),
        new LinearLayer(128, classCount),
    ];
}
