using Google.Protobuf;
using Maas.Core.Errors;
using Maas.Imaging;
using Microsoft.ML.OnnxRuntime;

namespace Maas.Inference;

/// <summary>
/// 512-d image embeddings from the pretrained ImageNet ResNet-18 of the NuGet package
/// Microsoft.ML.DnnImageFeaturizer.ResNet18 (its pooled features, <c>Pooling395_Output_0</c>). The package ships the
/// network's input normalization as a second model, <c>ResNetPreprocess.onnx</c>; probing it shows an affine map per
/// pixel (RGB in 0–255 becomes BGR minus a per-pixel mean image, no scaling). That map is read from the model once at
/// load, by running it on a zero image and on one unit image per channel, and then applied in managed code, so the
/// embedding runs in batches although the preprocessing model takes one image at a time.
/// </summary>
/// <remarks>
/// The shipped network takes exactly 1x3x224x224: its batch is fixed at 1 and it ends in a 7x7 average pool. At load
/// the graph is rewritten with OnnxSharp: a free batch dimension, the input side asked for, and a global average pool
/// in place of the 7x7 one, which is the same operation at 224 and keeps every smaller side valid. Small images gain
/// nothing from being blown up to 224 pixels, and the cost falls with the square of the side: measured on this
/// (busy) 2-core machine with two workers of batch 16, 28x28 Fashion-MNIST images embedded at 410 images/s at 32,
/// 104 at 64 and 46 at 96, against about 10 images/s one at a time at 224.
/// Below 224 the per-pixel mean image is replaced by its per-channel average (the mean image is nearly flat).
/// </remarks>
public sealed class ResNetEmbedder : IImageEmbedder
{
    /// <summary>Where the build copies the package's models, relative to the application folder.</summary>
    public const string ModelFolder = "DnnImageModels";

    private readonly InferenceSession _session;
    private readonly string _inputName;
    private readonly string _outputName;
    private readonly float[] _offset;
    private readonly float[,] _channelMap;
    private readonly int _batchCapacity;

    /// <summary>Loads the network and its preprocessing from <paramref name="folder"/> (the build output's <see cref="ModelFolder"/> when null).</summary>
    /// <param name="folder">The folder holding <c>ResNet18Onnx/ResNet18.onnx</c> and <c>ResNetPrepOnnx/ResNetPreprocess.onnx</c>.</param>
    /// <param name="batch">Images per run when the model's batch dimension is free; it is fixed at 1 in the shipped file.</param>
    /// <param name="intraOpThreads">ONNX Runtime's threads per run; callers that run images in parallel pass 1.</param>
    /// <exception cref="UnavailableException">The model files are missing or do not load.</exception>
    /// <param name="side">The network's input side in pixels, a multiple of 32 from 32 to 224. The default is 224, as the network was trained.</param>
    public ResNetEmbedder(string? folder = null, int batch = 16, int intraOpThreads = 1, int side = FullSide)
    {
        if (side is < 32 or > FullSide || side % 32 != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(side), side, "The input side must be a multiple of 32 from 32 to 224.");
        }

        folder ??= Path.Combine(AppContext.BaseDirectory, ModelFolder);
        var network = Path.Combine(folder, "ResNet18Onnx", "ResNet18.onnx");
        var preprocess = Path.Combine(folder, "ResNetPrepOnnx", "ResNetPreprocess.onnx");
        if (!File.Exists(network) || !File.Exists(preprocess))
        {
            throw new UnavailableException($"{folder}: the ResNet-18 model files are missing; rebuild Maas, or analyze with --no-embeddings.");
        }

        using var options = new SessionOptions
        {
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
            IntraOpNumThreads = Math.Max(1, intraOpThreads),
            InterOpNumThreads = 1,
        };
        _session = new InferenceSession(Rewrite(network, side), options);
        var input = _session.InputMetadata.Single();
        _inputName = input.Key;
        var dims = input.Value.Dimensions;
        if (dims.Length != 4 || dims[1] != 3 || dims[2] <= 0 || dims[3] <= 0)
        {
            _session.Dispose();
            throw new UnavailableException($"{network}: input '{_inputName}' has shape [{string.Join(',', dims)}], not [N,3,H,W].");
        }

        Height = dims[2];
        Width = dims[3];
        _batchCapacity = dims[0] > 0 ? dims[0] : Math.Max(1, batch);
        var output = _session.OutputMetadata.First();
        _outputName = output.Key;
        Dimensions = output.Value.Dimensions.Skip(1).Aggregate(1, (a, d) => a * Math.Max(d, 1));
        (var offset, _channelMap) = ProbePreprocessing(preprocess, FullSide, FullSide);
        _offset = side == FullSide ? offset : FlatOffset(offset, FullSide * FullSide, Height * Width);
    }

    /// <summary>The side the network was trained at and its preprocessing model takes: 224.</summary>
    public const int FullSide = 224;

    /// <summary>
    /// The network with a free batch dimension, a <paramref name="side"/>-pixel square input and a global average pool
    /// (see the remarks), serialized for ONNX Runtime.
    /// </summary>
    internal static byte[] Rewrite(string path, int side)
    {
        var model = Onnx.ModelProto.Parser.ParseFrom(File.ReadAllBytes(path));
        var graph = model.Graph;
        var input = graph.Input.Single(i => graph.Initializer.All(t => t.Name != i.Name));
        var dims = input.Type.TensorType.Shape.Dim;
        dims[0] = new Onnx.TensorShapeProto.Types.Dimension { DimParam = "batch" };
        dims[2] = new Onnx.TensorShapeProto.Types.Dimension { DimValue = side };
        dims[3] = new Onnx.TensorShapeProto.Types.Dimension { DimValue = side };
        foreach (var output in graph.Output)
        {
            output.Type.TensorType.Shape.Dim[0] = new Onnx.TensorShapeProto.Types.Dimension { DimParam = "batch" };
        }

        // Shapes recorded for a batch of 1 at 224 would contradict the new input; ONNX Runtime infers them again.
        graph.ValueInfo.Clear();
        var pools = graph.Node.Where(n => n.OpType == "AveragePool").ToList();
        if (pools.Count != 1 || pools[0].Output[0] != graph.Output[0].Name)
        {
            throw new UnavailableException($"{path}: expected one average pool producing the output, found {pools.Count}.");
        }

        pools[0].OpType = "GlobalAveragePool";
        pools[0].Attribute.Clear();
        return model.ToByteArray();
    }

    private static float[] FlatOffset(float[] offset, int fullPlane, int plane)
    {
        var flat = new float[3 * plane];
        for (var c = 0; c < 3; c++)
        {
            flat.AsSpan(c * plane, plane).Fill(System.Numerics.Tensors.TensorPrimitives.Sum<float>(offset.AsSpan(c * fullPlane, fullPlane)) / fullPlane);
        }

        return flat;
    }

    /// <summary>The input height the network takes (the side asked for).</summary>
    public int Height { get; }

    /// <summary>The input width the network takes (the side asked for).</summary>
    public int Width { get; }

    /// <summary>The embedding length (512).</summary>
    public int Dimensions { get; }

    /// <summary>
    /// The network input of one RGB image: resized bilinearly to the input size (grayscale images are already
    /// replicated to three channels by the RGB decode), then mapped as the preprocessing model does, channels first.
    /// </summary>
    public void Prepare(DecodedImage image, Span<float> destination)
    {
        ArgumentNullException.ThrowIfNull(image);
        var plane = Height * Width;
        var resized = new float[plane * 3];
        BilinearResize.Resize(image.Pixels, image.Width, image.Height, 3, resized, Width, Height);
        for (var c = 0; c < 3; c++)
        {
            float m0 = _channelMap[c, 0], m1 = _channelMap[c, 1], m2 = _channelMap[c, 2];
            var target = destination.Slice(c * plane, plane);
            var offset = _offset.AsSpan(c * plane, plane);
            for (var p = 0; p < plane; p++)
            {
                target[p] = (m0 * resized[p * 3]) + (m1 * resized[(p * 3) + 1]) + (m2 * resized[(p * 3) + 2]) + offset[p];
            }
        }
    }

    /// <summary>Embeds <paramref name="images"/>, in runs of the model's batch size; one array of <see cref="Dimensions"/> per image.</summary>
    /// <remarks>Safe from several threads: ONNX Runtime sessions run concurrently.</remarks>
    public float[][] Embed(IReadOnlyList<DecodedImage> images, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(images);
        var result = new float[images.Count][];
        var length = 3 * Height * Width;
        for (var start = 0; start < images.Count; start += _batchCapacity)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var count = Math.Min(_batchCapacity, images.Count - start);
            var batch = new float[count * length];
            for (var i = 0; i < count; i++)
            {
                Prepare(images[start + i], batch.AsSpan(i * length, length));
            }

            var outputs = Run(batch, count);
            for (var i = 0; i < count; i++)
            {
                result[start + i] = outputs.AsSpan(i * Dimensions, Dimensions).ToArray();
            }
        }

        return result;
    }

    /// <summary>Runs the network on <paramref name="count"/> prepared inputs back to back in <paramref name="batch"/>.</summary>
    internal float[] Run(float[] batch, int count)
    {
        using var input = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, batch.AsMemory(0, count * 3 * Height * Width),
            [count, 3, Height, Width]);
        using var runOptions = new RunOptions();
        using var outputs = _session.Run(runOptions, [_inputName], [input], [_outputName]);
        return outputs[0].GetTensorDataAsSpan<float>().ToArray();
    }

    /// <summary>The preprocessing model's output for one raw RGB (0–255) CHW image, for tests that check <see cref="Prepare"/>.</summary>
    internal static float[] RunPreprocessModel(string folder, float[] chw, int height, int width)
    {
        using var session = new InferenceSession(Path.Combine(folder, "ResNetPrepOnnx", "ResNetPreprocess.onnx"));
        return RunPreprocess(session, chw, height, width);
    }

    private static (float[] Offset, float[,] Map) ProbePreprocessing(string path, int height, int width)
    {
        using var session = new InferenceSession(path);
        var plane = height * width;
        var offset = RunPreprocess(session, new float[3 * plane], height, width);
        var map = new float[3, 3];
        for (var k = 0; k < 3; k++)
        {
            var unit = new float[3 * plane];
            unit.AsSpan(k * plane, plane).Fill(100f);
            var response = RunPreprocess(session, unit, height, width);
            for (var c = 0; c < 3; c++)
            {
                // Pixel 0 suffices: the map is the same at every pixel (only the offset varies), which the tests check.
                map[c, k] = (response[c * plane] - offset[c * plane]) / 100f;
            }
        }

        return (offset, map);
    }

    private static float[] RunPreprocess(InferenceSession session, float[] chw, int height, int width)
    {
        var input = session.InputMetadata.Single();
        using var value = OrtValue.CreateTensorValueFromMemory(chw, [1, 3, height, width]);
        using var runOptions = new RunOptions();
        using var outputs = session.Run(runOptions, [input.Key], [value], [session.OutputMetadata.Keys.First()]);
        return outputs[0].GetTensorDataAsSpan<float>().ToArray();
    }

    /// <inheritdoc />
    public void Dispose() => _session.Dispose();
}
