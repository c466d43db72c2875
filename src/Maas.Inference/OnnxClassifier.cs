using Maas.Core.Errors;
using Maas.Imaging;
using Microsoft.ML.OnnxRuntime;

namespace Maas.Inference;

/// <summary>
/// An ONNX Runtime session for an image classifier with one NCHW float input and a <c>probabilities</c> output
/// (or, failing that, its first output, treated as probabilities). Safe for concurrent use: ONNX Runtime sessions
/// allow concurrent Run calls.
/// </summary>
public sealed class OnnxClassifier : IBatchRunner, IDisposable
{
    private readonly InferenceSession _session;
    private readonly string _inputName;
    private readonly string _outputName;

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
    }

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
        ArgumentNullException.ThrowIfNull(batch);
        if (batch.Length < count * InputShape.Length)
        {
            throw new ArgumentException($"The batch holds {batch.Length} floats, not {count} x {InputShape.Length}.", nameof(batch));
        }

        // The tensor wraps the caller's array: no copy on the way in.
        using var input = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, batch.AsMemory(0, count * InputShape.Length),
            [count, InputShape.Channels, InputShape.Height, InputShape.Width]);
        using var runOptions = new RunOptions();
        using var outputs = _session.Run(runOptions, [_inputName], [input], [_outputName]);
        return outputs[0].GetTensorDataAsSpan<float>().ToArray();
    }

    /// <inheritdoc />
    public void Dispose() => _session.Dispose();
}
