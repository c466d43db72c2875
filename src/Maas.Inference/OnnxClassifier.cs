using Maas.Core.Errors;
using Maas.Imaging;
using Microsoft.ML.OnnxRuntime;

namespace Maas.Inference;

/// <summary>
/// An ONNX Runtime session for an image classifier with one NCHW float input and a <c>probabilities</c> output
/// (or, failing that, its first output, treated as probabilities), and optionally an <c>embedding</c> output (the
/// penultimate layer, which Maas exports for monitoring). Safe for concurrent use: ONNX Runtime sessions allow
/// concurrent Run calls.
/// </summary>
public sealed class OnnxClassifier : IBatchRunner, IDisposable
{
    private readonly InferenceSession _session;
    private readonly string _inputName;
    private readonly string _outputName;
    private readonly string[] _rowOutputs;

    /// <summary>The name of the optional output holding each image's embedding.</summary>
    public const string EmbeddingOutputName = "embedding";

    /// <summary>Loads the ONNX file at <paramref name="path"/>, with <paramref name="intraOpThreads"/> threads per run (0: ONNX Runtime's default).</summary>
    /// <exception cref="InvalidInputException">The file is not a classifier ONNX Runtime can load.</exception>
    public OnnxClassifier(string path, int intraOpThreads = 0)
    {
        using var options = new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL };
        if (intraOpThreads > 0)
        {
            options.IntraOpNumThreads = intraOpThreads;
        }

        try
        {
            _session = new InferenceSession(path, options);
        }
        catch (OnnxRuntimeException e)
        {
            throw new InvalidInputException($"{path}: ONNX Runtime cannot load it ({e.Message}).", e);
        }

        var input = _session.InputMetadata.Single();
        _inputName = input.Key;
        var dims = input.Value.Dimensions;
        if (dims.Length != 4 || dims[1] <= 0 || dims[2] <= 0 || dims[3] <= 0)
        {
            _session.Dispose();
            throw new InvalidInputException($"{path}: input '{_inputName}' has shape [{string.Join(',', dims)}], not [N,C,H,W].");
        }

        InputShape = new TensorShape(dims[1], dims[2], dims[3]);
        _outputName = _session.OutputMetadata.ContainsKey("probabilities") ? "probabilities" : _session.OutputMetadata.Keys.First();
        ClassCount = _session.OutputMetadata[_outputName].Dimensions[^1];
        if (_outputName != EmbeddingOutputName && _session.OutputMetadata.TryGetValue(EmbeddingOutputName, out var embedding)
            && embedding.ElementType == typeof(float) && embedding.Dimensions.Length == 2 && embedding.Dimensions[1] > 0)
        {
            EmbeddingLength = embedding.Dimensions[1];
            _rowOutputs = [_outputName, EmbeddingOutputName];
        }
        else
        {
            _rowOutputs = [_outputName];
        }
    }

    /// <summary>The length of the <c>embedding</c> output per image, or 0 when the graph has none.</summary>
    public int EmbeddingLength { get; }

    /// <summary>The per-image input shape the model expects.</summary>
    public TensorShape InputShape { get; }

    /// <summary>The name of the graph's image input.</summary>
    public string InputName => _inputName;

    /// <summary>The name of the output read as probabilities.</summary>
    public string OutputName => _outputName;

    /// <summary>The number of classes the model scores.</summary>
    public int ClassCount { get; }

    /// <summary>Custom metadata stored in the ONNX file.</summary>
    public IReadOnlyDictionary<string, string> Metadata => _session.ModelMetadata.CustomMetadataMap;

    /// <summary>Runs a batch: <paramref name="batch"/> holds <paramref name="count"/> CHW tensors back to back.</summary>
    /// <returns>count x ClassCount probabilities.</returns>
    public float[] Run(float[] batch, int count)
    {
        using var outputs = RunOutputs(batch, count, [_outputName]);
        return outputs[0].GetTensorDataAsSpan<float>().ToArray();
    }

    /// <summary>
    /// The scheduler's rows: per image its probabilities followed by its embedding (<see cref="EmbeddingLength"/>
    /// floats, none without the output), from one run, so monitoring's embedding costs no second pass.
    /// </summary>
    float[] IBatchRunner.Run(float[] batch, int count)
    {
        using var outputs = RunOutputs(batch, count, _rowOutputs);
        var probabilities = outputs[0].GetTensorDataAsSpan<float>();
        if (_rowOutputs.Length == 1)
        {
            return probabilities.ToArray();
        }

        var embeddings = outputs[1].GetTensorDataAsSpan<float>();
        var width = ClassCount + EmbeddingLength;
        var rows = new float[count * width];
        for (var i = 0; i < count; i++)
        {
            probabilities.Slice(i * ClassCount, ClassCount).CopyTo(rows.AsSpan(i * width));
            embeddings.Slice(i * EmbeddingLength, EmbeddingLength).CopyTo(rows.AsSpan((i * width) + ClassCount));
        }

        return rows;
    }

    private IDisposableReadOnlyCollection<OrtValue> RunOutputs(float[] batch, int count, string[] outputNames)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (batch.Length < count * InputShape.Length)
        {
            throw new ArgumentException($"The batch holds {batch.Length} floats, not {count} x {InputShape.Length}.", nameof(batch));
        }

        // The tensor wraps the caller's array: no copy on the way in.
        using var input = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, batch.AsMemory(0, count * InputShape.Length),
            [count, InputShape.Channels, InputShape.Height, InputShape.Width]);
        using var runOptions = new RunOptions();
        return _session.Run(runOptions, [_inputName], [input], outputNames);
    }

    /// <inheritdoc />
    public void Dispose() => _session.Dispose();
}
