using System.Collections.Concurrent;
using System.Text.Json;
using Maas.Core.Errors;
using Maas.Core.Models;
using Maas.Core.Pipelines;
using Maas.Imaging;
using Maas.Testing;

namespace Maas.Inference.Tests;

public sealed class LoadedModelTests : IDisposable
{
    private readonly TempFolder _temp = new();

    // Two gray pixels in, three classes out: class 0 likes bright left pixels, class 1 bright right ones, class 2 neither.
    private static readonly float[,] s_weights = { { 2f, 0f, 0f }, { 0f, 2f, 0f } };
    private static readonly float[] s_bias = [0f, 0f, 0.5f];

    private ModelVersion Write(PipelineSpec pipeline, string[] labels)
    {
        File.WriteAllBytes(_temp.Combine(ModelVersion.OnnxFileName), LinearSoftmaxGraph.Build(1, 1, 2, s_weights, s_bias));
        File.WriteAllText(_temp.Combine(ModelVersion.PipelineFileName), pipeline.ToJson());
        File.WriteAllText(_temp.Combine(ModelVersion.LabelsFileName), JsonSerializer.Serialize(labels));
        return new ModelVersion("m", 1, null, null, ".", labels, new Dictionary<string, double>(), DateTimeOffset.UtcNow);
    }

    private static float[] Softmax(params float[] logits)
    {
        var max = logits.Max();
        var exp = logits.Select(l => MathF.Exp(l - max)).ToArray();
        return exp.Select(e => e / exp.Sum()).ToArray();
    }

    private static readonly TimeSpan s_patience = TimeSpan.FromSeconds(60);

    private static EncodedImage Png(byte left, byte right, string source) => new(ImageEncoder.EncodePng([left, right], 2, 1, 1), source);

    /// <summary>Holds the batching worker after a run while closed; records every run and signals when a worker leaves.</summary>
    private sealed class HoldingObserver : IBatchObserver, IDisposable
    {
        private readonly ManualResetEventSlim _gate = new(true);

        public ConcurrentQueue<BatchRun> Runs { get; } = new();

        /// <summary>Released each time a worker stops at the closed gate.</summary>
        public SemaphoreSlim Held { get; } = new(0);

        /// <summary>Released each time a worker is done with a run, observer included.</summary>
        public SemaphoreSlim Done { get; } = new(0);

        public void Close() => _gate.Reset();

        public void Open() => _gate.Set();

        public void OnBatch(ModelVersion version, BatchRun run)
        {
            Runs.Enqueue(run);
            if (!_gate.IsSet)
            {
                Held.Release();
                _gate.Wait(TimeSpan.FromMinutes(1));
            }

            Done.Release();
        }

        public void OnRejected(ModelVersion version)
        {
        }

        public void Dispose()
        {
            _gate.Dispose();
            Held.Dispose();
            Done.Dispose();
        }
    }

    [Fact]
    public async Task ClassifyAsync_RunsThePipelineThenTheGraph_AndRanksClasses()
    {
        var version = Write(new PipelineSpec([new DecodeOp(ColorMode.Gray), new ResizeOp(2, 1)]), ["left", "right", "dark"]);
        using var model = new LoadedModel(version, _temp.Path);

        var result = Assert.Single(await model.ClassifyAsync([Png(255, 0, "two.png")], topK: 3, CancellationToken.None));

        var expected = Softmax(2f, 0f, 0.5f);
        Assert.Equal(["left", "dark", "right"], result.Top.Select(s => s.Label));
        Assert.Equal([0, 2, 1], result.Top.Select(s => s.Index));
        Assert.Equal(expected[0], result.Top[0].Probability, 5);
        Assert.Equal(expected[2], result.Top[1].Probability, 5);
        Assert.Equal(expected[1], result.Top[2].Probability, 5);
        Assert.Equal(expected, result.Probabilities, (a, b) => Math.Abs(a - b) < 1e-5f);
        Assert.NotNull(result.PreprocessTime);
    }

    [Fact]
    public async Task ClassifyAsync_AGraphWithAnEmbeddingOutput_AnswersItBesideTheProbabilities_InBatchesToo()
    {
        var version = Write(new PipelineSpec([new DecodeOp(ColorMode.Gray), new ResizeOp(2, 1)]), ["left", "right", "dark"]);
        File.WriteAllBytes(_temp.Combine(ModelVersion.OnnxFileName),
            LinearSoftmaxGraph.Build(1, 1, 2, s_weights.Cast<float>(), s_bias, "input", "probabilities", softmax: true, embedding: true));
        using var model = new LoadedModel(version, _temp.Path);

        var results = await model.ClassifyAsync([Png(255, 0, "a.png"), Png(0, 51, "b.png")], topK: 1, CancellationToken.None);

        Assert.Equal(2, model.EmbeddingLength);
        Assert.Equal([1f, 0f], results[0].Embedding!);
        Assert.Equal([0f, 0.2f], results[1].Embedding!, (a, b) => Math.Abs(a - b) < 1e-6f);
        Assert.Equal(Softmax(0f, 0.4f, 0.5f), results[1].Probabilities, (a, b) => Math.Abs(a - b) < 1e-5f);
        Assert.Equal(3, model.Run(new float[4], 2).Length / 2);
    }

    [Fact]
    public async Task ClassifyAsync_AGraphWithoutAnEmbeddingOutput_AnswersNone()
    {
        var version = Write(new PipelineSpec([new DecodeOp(ColorMode.Gray), new ResizeOp(2, 1)]), ["left", "right", "dark"]);
        using var model = new LoadedModel(version, _temp.Path);

        var result = Assert.Single(await model.ClassifyAsync([Png(255, 0, "a.png")], topK: 1, CancellationToken.None));

        Assert.Equal(0, model.EmbeddingLength);
        Assert.Null(result.Embedding);
    }

    [Fact]
    public async Task ClassifyAsync_ListsTopKMostProbableFirst_ClampedToTheClassCount()
    {
        var version = Write(PipelineSpec.ForImages(ColorMode.Gray, 2, 1), ["left", "right", "dark"]);
        using var model = new LoadedModel(version, _temp.Path);
        EncodedImage[] images = [Png(0, 255, "right.png"), Png(0, 0, "dark.png")];

        var two = await model.ClassifyAsync(images, topK: 2, CancellationToken.None);
        var all = await model.ClassifyAsync(images, topK: 10, CancellationToken.None);

        Assert.Equal([["right", "dark"], ["dark", "left"]], two.Select(r => r.Top.Select(s => s.Label).ToArray()));
        Assert.Equal([["right", "dark", "left"], ["dark", "left", "right"]], all.Select(r => r.Top.Select(s => s.Label).ToArray()));
        foreach (var result in all)
        {
            Assert.True(result.Top[0].Probability >= result.Top[1].Probability && result.Top[1].Probability >= result.Top[2].Probability);
        }
    }

    [Fact]
    public async Task ClassifyAsync_ABatchAnswersAsOneImageAtATimeDoes_InOneRun()
    {
        var version = Write(PipelineSpec.ForImages(ColorMode.Gray, 2, 1), ["left", "right", "dark"]);
        using var observer = new HoldingObserver();
        using var model = new LoadedModel(version, _temp.Path, batching: new BatchingOptions(MaxBatchSize: 8, MaxQueueDelayMs: 0), batchObserver: observer);
        EncodedImage[] images = [Png(255, 0, "a"), Png(0, 255, "b"), Png(0, 0, "c"), Png(128, 64, "d"), Png(10, 200, "e"), Png(90, 90, "f")];

        var batched = await model.ClassifyAsync(images, topK: 3, CancellationToken.None);
        var single = new List<ImageClassification>();
        foreach (var image in images)
        {
            single.Add(Assert.Single(await model.ClassifyAsync([image], topK: 3, CancellationToken.None)));
        }

        Assert.Equal(images.Length, batched.Count);
        for (var i = 0; i < images.Length; i++)
        {
            Assert.Equal(single[i].Top.Select(s => (s.Label, s.Index)), batched[i].Top.Select(s => (s.Label, s.Index)));
            Assert.Equal(single[i].Probabilities, batched[i].Probabilities, (a, b) => Math.Abs(a - b) <= 1e-6f);
        }

        // The six images went through the scheduler as one run of six, then six runs of one.
        for (var i = 0; i < 1 + images.Length; i++)
        {
            Assert.True(await observer.Done.WaitAsync(s_patience));
        }

        Assert.Equal([6, 1, 1, 1, 1, 1, 1], observer.Runs.Select(r => r.Size));
    }

    [Fact]
    public async Task ClassifyAsync_ReadyMadeTensors_AnswerAsTheirImagesDo()
    {
        var version = Write(PipelineSpec.ForImages(ColorMode.Gray, 2, 1), ["left", "right", "dark"]);
        using var model = new LoadedModel(version, _temp.Path);
        EncodedImage[] images = [Png(255, 0, "a"), Png(10, 200, "b")];
        var tensors = images.SelectMany(image => model.Preprocess(image.Bytes, image.Source)).ToArray();

        var fromImages = await model.ClassifyAsync(images, topK: 3, CancellationToken.None);
        var fromTensors = await model.ClassifyTensorsAsync(tensors, 2, topK: 3, CancellationToken.None);

        Assert.Equal(fromImages.Select(r => r.Top.Select(s => s.Label).ToArray()), fromTensors.Select(r => r.Top.Select(s => s.Label).ToArray()));
        Assert.Equal(fromImages.SelectMany(r => r.Probabilities), fromTensors.SelectMany(r => r.Probabilities), (a, b) => Math.Abs(a - b) <= 1e-6f);
        Assert.All(fromTensors, r => Assert.Null(r.PreprocessTime));
        var error = await Assert.ThrowsAsync<InvalidInputException>(() => model.ClassifyTensorsAsync(tensors, 3, topK: 1, CancellationToken.None));
        Assert.Contains("4 floats are not 3 tensors", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ClassifyAsync_AnInputThatIsNotAnImage_IsRefusedNamingIt_AndNothingRuns()
    {
        var version = Write(PipelineSpec.ForImages(ColorMode.Gray, 2, 1), ["left", "right", "dark"]);
        using var observer = new HoldingObserver();
        using var model = new LoadedModel(version, _temp.Path, batchObserver: observer);
        EncodedImage[] images = [Png(255, 0, "first.png"), new("just some notes"u8.ToArray(), "notes.txt"), Png(0, 0, "third.png")];

        var error = await Assert.ThrowsAsync<UnsupportedImageException>(() => model.ClassifyAsync(images, topK: 1, CancellationToken.None));

        Assert.Contains("notes.txt", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, model.QueueDepth);
        // The next request is the first run: the refused one never reached the scheduler.
        _ = await model.ClassifyAsync([images[0]], topK: 1, CancellationToken.None);
        Assert.True(await observer.Done.WaitAsync(s_patience));
        Assert.Equal(1, Assert.Single(observer.Runs).Size);
    }

    [Fact]
    public async Task ClassifyAsync_Cancelled_BeforeOrWhileQueued_NeverRuns()
    {
        var version = Write(PipelineSpec.ForImages(ColorMode.Gray, 2, 1), ["left", "right", "dark"]);
        using var observer = new HoldingObserver();
        using var model = new LoadedModel(version, _temp.Path, batching: new BatchingOptions(MaxBatchSize: 4, MaxQueueDelayMs: 0), batchObserver: observer);
        var image = Png(255, 0, "a");
        using var before = new CancellationTokenSource();
        await before.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => model.ClassifyAsync([image], topK: 1, before.Token));

        // The worker is held after the first request's run, so the second waits in the queue until it is cancelled.
        observer.Close();
        _ = await model.ClassifyAsync([image], topK: 1, CancellationToken.None);
        Assert.True(await observer.Held.WaitAsync(s_patience));
        using var leaving = new CancellationTokenSource();
        var queued = model.ClassifyAsync([image, image], topK: 1, leaving.Token);
        Assert.Equal(1, model.QueueDepth);
        await leaving.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => queued);
        Assert.Equal(0, model.QueueDepth);
        observer.Open();
        _ = await model.ClassifyAsync([image], topK: 1, CancellationToken.None);

        // One worker runs in queue order: had the two-image request run, it would be the second run.
        Assert.True(await observer.Done.WaitAsync(s_patience));
        Assert.True(await observer.Done.WaitAsync(s_patience));
        Assert.Equal([1, 1], observer.Runs.Select(r => r.Size));
    }

    [Fact]
    public void Run_DynamicBatch_ScoresEachImage()
    {
        Write(PipelineSpec.ForImages(ColorMode.Gray, 2, 1), ["a", "b", "c"]);
        using var classifier = new OnnxClassifier(_temp.Combine(ModelVersion.OnnxFileName));

        var probabilities = classifier.Run([0f, 0f, 1f, 0f, 0f, 1f], 3);

        Assert.Equal(new TensorShape(1, 1, 2), classifier.InputShape);
        Assert.Equal(9, probabilities.Length);
        var expected = Softmax(0f, 0f, 0.5f).Concat(Softmax(2f, 0f, 0.5f)).Concat(Softmax(0f, 2f, 0.5f)).ToArray();
        for (var i = 0; i < 9; i++)
        {
            Assert.Equal(expected[i], probabilities[i], 5);
        }
    }

    [Fact]
    public void Load_PipelineShapeNotTheModels_IsRefused()
    {
        var version = Write(PipelineSpec.ForImages(ColorMode.Gray, 28, 28), ["a", "b", "c"]);

        var error = Assert.Throws<InvalidInputException>(() => new LoadedModel(version, _temp.Path));

        Assert.Contains("the pipeline produces", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_LabelCountNotTheModels_IsRefused()
    {
        var version = Write(PipelineSpec.ForImages(ColorMode.Gray, 2, 1), ["a", "b"]);

        var error = Assert.Throws<InvalidInputException>(() => new LoadedModel(version, _temp.Path));

        Assert.Contains("scores 3 classes but 2 labels", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_NotAnOnnxFile_IsRefusedNamingIt()
    {
        var path = _temp.Combine("broken.onnx");
        File.WriteAllText(path, "not a model");

        var error = Assert.Throws<InvalidInputException>(() => new OnnxClassifier(path));

        Assert.StartsWith(path + ": ONNX Runtime cannot load it", error.Message, StringComparison.Ordinal);
    }

    public void Dispose() => _temp.Dispose();
}
