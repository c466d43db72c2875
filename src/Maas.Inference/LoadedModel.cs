using System.Diagnostics;
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
    private readonly OnnxClassifier[] _instances;
    private readonly IInputObserver? _observer;
    private readonly BatchScheduler _scheduler;

    /// <summary>Loads the files of <paramref name="version"/> from <paramref name="artifactPath"/>.</summary>
    /// <param name="version">The registered version.</param>
    /// <param name="artifactPath">The folder holding its files.</param>
    /// <param name="observer">Sees each preprocessed tensor.</param>
    /// <param name="batching">How requests are batched, and how many sessions run them. The default is <see cref="BatchingOptions.Default"/>.</param>
    /// <param name="batchObserver">Sees each batch run and each refusal.</param>
    /// <exception cref="Maas.Core.Errors.InvalidInputException">The files are missing or inconsistent, or <paramref name="batching"/> is out of range.</exception>
    public LoadedModel(ModelVersion version, string artifactPath, IInputObserver? observer = null, BatchingOptions? batching = null, IBatchObserver? batchObserver = null)
        : this(version, ReadPipeline(artifactPath), Path.Combine(artifactPath, ModelVersion.OnnxFileName), observer, batching, batchObserver)
    {
    }

    /// <summary>Loads <paramref name="version"/> from its pipeline, already read, and its ONNX file.</summary>
    /// <param name="version">The registered version.</param>
    /// <param name="pipeline">The pipeline it was trained with.</param>
    /// <param name="onnxPath">Its ONNX graph.</param>
    /// <param name="observer">Sees each preprocessed tensor.</param>
    /// <param name="batching">How requests are batched, and how many sessions run them. The default is <see cref="BatchingOptions.Default"/>.</param>
    /// <param name="batchObserver">Sees each batch run and each refusal.</param>
    /// <exception cref="Maas.Core.Errors.InvalidInputException">The graph and the pipeline or labels do not fit, or <paramref name="batching"/> is out of range.</exception>
    public LoadedModel(ModelVersion version, PipelineSpec pipeline, string onnxPath, IInputObserver? observer = null, BatchingOptions? batching = null,
        IBatchObserver? batchObserver = null)
    {
        ArgumentNullException.ThrowIfNull(version);
        ArgumentNullException.ThrowIfNull(pipeline);
        Version = version;
        _observer = observer;
        batching = (batching ?? BatchingOptions.Default).Validate();
        Pipeline = new PipelineExecutor(pipeline);
        // Several sessions share the cores rather than each spawning a thread per core and fighting over them.
        var threads = batching.Instances == 1 ? 0 : Math.Max(1, Environment.ProcessorCount / batching.Instances);
        _instances = new OnnxClassifier[batching.Instances];
        _classifier = _instances[0] = new OnnxClassifier(onnxPath, threads);
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

        try
        {
            for (var i = 1; i < _instances.Length; i++)
            {
                _instances[i] = new OnnxClassifier(onnxPath, threads);
            }
        }
        catch
        {
            DisposeInstances();
            throw;
        }

        _scheduler = new BatchScheduler(version, _instances, InputShape.Length, batching, batchObserver);
    }

    private static PipelineSpec ReadPipeline(string artifactPath)
    {
        var pipelinePath = Path.Combine(artifactPath, ModelVersion.PipelineFileName);
        return PipelineSpec.FromJson(File.ReadAllText(pipelinePath), pipelinePath);
    }

    /// <summary>The registered version this is.</summary>
    public ModelVersion Version { get; }

    /// <summary>The compiled preprocessing pipeline.</summary>
    public PipelineExecutor Pipeline { get; }

    /// <summary>The name of the ONNX graph's image input.</summary>
    public string InputName => _classifier.InputName;

    /// <summary>The name of the ONNX graph's probabilities output.</summary>
    public string OutputName => _classifier.OutputName;

    /// <summary>The per-image input shape.</summary>
    public TensorShape InputShape => _classifier.InputShape;

    /// <summary>The number of classes scored.</summary>
    public int ClassCount => _classifier.ClassCount;

    /// <summary>The length of each image's embedding, from the graph's <c>embedding</c> output; 0 when it has none.</summary>
    public int EmbeddingLength => _classifier.EmbeddingLength;

    /// <summary>
    /// Classifies encoded images: each is decoded and preprocessed by the version's pipeline (the code the trainer
    /// evaluated with), then all of them go through the deployment's batching scheduler in one request, where they
    /// may share a run with other requests' images.
    /// </summary>
    /// <param name="images">The images, in the order the answers are wanted.</param>
    /// <param name="topK">How many classes to list per image (clamped to 1..<see cref="ClassCount"/>).</param>
    /// <param name="cancellationToken">Withdraws the request, also while it waits in the queue.</param>
    /// <returns>One answer per image, in order.</returns>
    /// <exception cref="Maas.Core.Errors.InvalidInputException"><paramref name="images"/> is empty.</exception>
    /// <exception cref="Maas.Core.Errors.UnsupportedImageException">An image is not decodable; the message names its source. Nothing is run.</exception>
    /// <exception cref="Maas.Core.Errors.OverloadedException">The queue is full.</exception>
    /// <exception cref="Maas.Core.Errors.DeadlineExceededException">The request timeout passed first.</exception>
    public async Task<IReadOnlyList<ImageClassification>> ClassifyAsync(IReadOnlyList<EncodedImage> images, int topK, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(images);
        if (images.Count == 0)
        {
            throw new Maas.Core.Errors.InvalidInputException($"{Version.Reference}: there are no images to classify.");
        }

        var length = InputShape.Length;
        var batch = new float[images.Count * length];
        var times = new TimeSpan?[images.Count];
        for (var i = 0; i < images.Count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var started = Stopwatch.GetTimestamp();
            Preprocess(images[i].Bytes, images[i].Source).CopyTo(batch, i * length);
            times[i] = Stopwatch.GetElapsedTime(started);
        }

        return Answers(await _scheduler.RunAsync(batch, images.Count, cancellationToken), topK, times);
    }

    /// <summary>
    /// Classifies <paramref name="count"/> tensors that were preprocessed elsewhere (laid back to back in
    /// <paramref name="tensors"/>, each of <see cref="InputShape"/>), through the same batching scheduler as
    /// <see cref="ClassifyAsync(IReadOnlyList{EncodedImage}, int, CancellationToken)"/>.
    /// </summary>
    /// <exception cref="Maas.Core.Errors.InvalidInputException"><paramref name="tensors"/> does not hold <paramref name="count"/> tensors of the input shape.</exception>
    /// <exception cref="Maas.Core.Errors.OverloadedException">The queue is full.</exception>
    /// <exception cref="Maas.Core.Errors.DeadlineExceededException">The request timeout passed first.</exception>
    public async Task<IReadOnlyList<ImageClassification>> ClassifyTensorsAsync(float[] tensors, int count, int topK, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        if (count <= 0 || (long)count * InputShape.Length != tensors.Length)
        {
            throw new Maas.Core.Errors.InvalidInputException(
                $"{Version.Reference}: {tensors.Length} floats are not {count} tensors of {InputShape} ({InputShape.Length} floats each).");
        }

        cancellationToken.ThrowIfCancellationRequested();
        return Answers(await _scheduler.RunAsync(tensors, count, cancellationToken), topK, new TimeSpan?[count]);
    }

    /// <summary>Runs the version's pipeline on one encoded image: the CHW tensor the model is fed.</summary>
    /// <exception cref="Maas.Core.Errors.UnsupportedImageException">The bytes are not a decodable image.</exception>
    public float[] Preprocess(ReadOnlySpan<byte> image, string source)
    {
        var tensor = Pipeline.Run(image, source);
        _observer?.Observe(Version, tensor);
        return tensor;
    }

    /// <summary>
    /// The probabilities for a batch of already preprocessed tensors, run at once on the first session, outside the
    /// batching scheduler: for offline evaluation, where there is no queue to share.
    /// </summary>
    public float[] Run(float[] batch, int count) => _classifier.Run(batch, count);

    /// <summary>How requests are batched, and how many sessions run them.</summary>
    public BatchingOptions Batching => _scheduler.Options;

    /// <summary>Requests waiting for a batch now.</summary>
    public int QueueDepth => _scheduler.QueueDepth;

    /// <summary>
    /// Runs one all-zero input through every session, so the first real request does not pay for ONNX Runtime's
    /// lazy allocations, and a model that loads but cannot run is caught before it is reported ready.
    /// </summary>
    public void WarmUp()
    {
        foreach (var instance in _instances)
        {
            _ = ((IBatchRunner)instance).Run(new float[InputShape.Length], 1);
        }
    }

    private List<ImageClassification> Answers(float[] probabilities, int topK, TimeSpan?[] preprocessTimes)
    {
        var answers = new List<ImageClassification>(preprocessTimes.Length);
        var width = ClassCount + EmbeddingLength;
        for (var i = 0; i < preprocessTimes.Length; i++)
        {
            var row = probabilities.AsSpan(i * width, ClassCount);
            answers.Add(new ImageClassification(TopK(row, topK), row.ToArray(), preprocessTimes[i])
            {
                Embedding = EmbeddingLength == 0 ? null : probabilities.AsSpan((i * width) + ClassCount, EmbeddingLength).ToArray(),
            });
        }

        return answers;
    }

    /// <summary>The <paramref name="k"/> most probable classes of one image's probabilities, most probable first.</summary>
    public IReadOnlyList<ClassScore> TopK(ReadOnlySpan<float> probabilities, int k) =>
        probabilities.ToArray().Select((p, i) => new ClassScore(Version.Labels[i], i, p))
            .OrderByDescending(s => s.Probability).ThenBy(s => s.Index)
            .Take(Math.Clamp(k, 1, probabilities.Length))
            .ToList();

    /// <inheritdoc />
    public void Dispose()
    {
        // The sessions only once the workers have stopped, so none is disposed under a run; without blocking the
        // caller, which may be a request that ended while a batch of others still runs.
        _scheduler.Dispose();
        _ = _scheduler.Completion.ContinueWith(_ => DisposeInstances(), CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
    }

    private void DisposeInstances()
    {
        foreach (var instance in _instances)
        {
            instance?.Dispose();
        }
    }
}
