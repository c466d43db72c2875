using Maas.Core.Models;
using Maas.Core.Pipelines;
using Maas.Imaging;

namespace Maas.Inference;

/// <summary>
/// A model version ready to answer: its ONNX session, and the pipeline it was trained with, compiled. Prediction
/// runs the same <see cref="PipelineExecutor"/> the trainer used for evaluation.
/// </summary>
public sealed class LoadedModel : IDisposable
{
    private readonly OnnxClassifier _classifier;
    private readonly IInputObserver? _observer;

    /// <summary>Loads the files of <paramref name="version"/> from <paramref name="artifactPath"/>.</summary>
    /// <exception cref="Maas.Core.Errors.InvalidInputException">The files are missing or inconsistent.</exception>
    public LoadedModel(ModelVersion version, string artifactPath, IInputObserver? observer = null)
    {
        ArgumentNullException.ThrowIfNull(version);
        Version = version;
        _observer = observer;
        var pipelinePath = Path.Combine(artifactPath, ModelVersion.PipelineFileName);
        Pipeline = new PipelineExecutor(PipelineSpec.FromJson(File.ReadAllText(pipelinePath), pipelinePath));
        _classifier = new OnnxClassifier(Path.Combine(artifactPath, ModelVersion.OnnxFileName));
        if (_classifier.InputShape != Pipeline.Shape)
        {
            _classifier.Dispose();
            throw new Maas.Core.Errors.InvalidInputException(
                $"{version.Reference}: the pipeline produces {Pipeline.Shape} but the model expects {_classifier.InputShape}.");
        }

        if (_classifier.ClassCount != version.Labels.Count)
        {
            _classifier.Dispose();
            throw new Maas.Core.Errors.InvalidInputException(
                $"{version.Reference}: the model scores {_classifier.ClassCount} classes but {version.Labels.Count} labels are registered.");
        }
    }

    /// <summary>The registered version this is.</summary>
    public ModelVersion Version { get; }

    /// <summary>The compiled preprocessing pipeline.</summary>
    public PipelineExecutor Pipeline { get; }

    /// <summary>Preprocesses one encoded image and returns the <paramref name="topK"/> most probable classes.</summary>
    /// <exception cref="Maas.Core.Errors.UnsupportedImageException">The bytes are not a decodable image.</exception>
    public IReadOnlyList<ClassScore> Predict(ReadOnlySpan<byte> image, int topK, string source)
    {
        var tensor = Pipeline.Run(image, source);
        _observer?.Observe(Version, tensor);
        var probabilities = _classifier.Run(tensor, 1);
        return TopK(probabilities, topK);
    }

    /// <summary>The probabilities for a batch of already preprocessed tensors.</summary>
    public float[] Run(float[] batch, int count) => _classifier.Run(batch, count);

    private List<ClassScore> TopK(float[] probabilities, int k) =>
        probabilities.Select((p, i) => new ClassScore(Version.Labels[i], i, p))
            .OrderByDescending(s => s.Probability).ThenBy(s => s.Index)
            .Take(Math.Clamp(k, 1, probabilities.Length))
            .ToList();

    /// <inheritdoc />
    public void Dispose() => _classifier.Dispose();
}
