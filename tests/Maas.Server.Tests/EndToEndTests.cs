using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Maas.Core.Models;
using Maas.Core.Pipelines;
using Maas.Imaging;
using Maas.Inference;
using Maas.Workflows.Training;

namespace Maas.Server.Tests;

[Collection(TrainedFashionServer.Collection)]
public sealed class EndToEndTests(TrainedFashionServer server)
{
    private static readonly JsonSerializerOptions s_json = new(JsonSerializerDefaults.Web);

    private sealed record Prediction(string Label, int Index, float Probability);

    private sealed record Answer(string Model, int Version, string Label, List<Prediction> Predictions);

    private async Task<Answer> PredictAsync(string target, byte[] image)
    {
        using var content = new ByteArrayContent(image);
        using var response = await server.Client.PostAsync(new Uri($"/v1/models/{target}:predict", UriKind.Relative), content);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<Answer>(s_json))!;
    }

    [Fact]
    public void OneShortEpoch_ReachesTestAccuracyAboveSeventyPercent_AndRegisters()
    {
        Assert.Equal("test", server.Outcome.EvaluatedSplit);
        Assert.True(server.Outcome.Evaluation.Accuracy > 0.7, $"test accuracy {server.Outcome.Evaluation.Accuracy}");
        Assert.Equal("fashion-cnn@1", server.Outcome.Registered!.Reference);
    }

    [Fact]
    public async Task Ready_AnswersOkWithTheLoadedVersion()
    {
        using var response = await server.Client.GetAsync(new Uri("/health/ready", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("fashion-cnn@1", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Predict_OverHttp_ReturnsTopFiveAndMostlyTheRightLabel()
    {
        var samples = server.TestSamples.Take(40).ToList();
        var correct = 0;
        foreach (var sample in samples)
        {
            var answer = await PredictAsync("fashion-cnn", await server.Stores.Blobs.GetAsync(sample.BlobHash, CancellationToken.None));

            Assert.Equal(("fashion-cnn", 1), (answer.Model, answer.Version));
            Assert.Equal(5, answer.Predictions.Count);
            Assert.Equal(answer.Label, answer.Predictions[0].Label);
            Assert.True(answer.Predictions.Zip(answer.Predictions.Skip(1)).All(p => p.First.Probability >= p.Second.Probability));
            correct += answer.Predictions[0].Index == sample.Label ? 1 : 0;
        }

        Assert.True(correct >= samples.Count * 0.6, $"{correct} of {samples.Count} right");
    }

    [Fact]
    public async Task ServedTensor_IsBitIdenticalToTheTrainingEvaluationTensor_AndOutputsMatchOnnxOnIt()
    {
        var version = await server.Stores.Models.ResolveAsync(Core.VersionedName.Parse("fashion-cnn@1"), CancellationToken.None);
        var folder = server.Stores.Models.ArtifactPath(version);
        var executor = new PipelineExecutor(PipelineSpec.FromJson(File.ReadAllText(Path.Combine(folder, ModelVersion.PipelineFileName))));
        var samples = server.TestSamples.Skip(100).Take(16).ToList();
        // The tensors the trainer evaluated on, built by the training path itself.
        var evaluation = SplitLoader.Load(samples, executor, server.Stores.Blobs, version.Labels.Count, null, CancellationToken.None);
        using var onnx = new OnnxClassifier(Path.Combine(folder, ModelVersion.OnnxFileName));

        for (var i = 0; i < samples.Count; i++)
        {
            while (server.Observer.Tensors.TryDequeue(out _))
            {
            }

            var answer = await PredictAsync("fashion-cnn@production", await server.Stores.Blobs.GetAsync(samples[i].BlobHash, CancellationToken.None));

            var expected = evaluation.Pixels.AsSpan(i * evaluation.SampleSize, evaluation.SampleSize).ToArray();
            Assert.True(server.Observer.Tensors.TryDequeue(out var served));
            Assert.Equal(expected, served);
            var probabilities = onnx.Run(expected, 1);
            foreach (var p in answer.Predictions)
            {
                Assert.Equal(probabilities[p.Index], p.Probability);
            }
        }
    }

    [Theory]
    [InlineData("nope", "png", HttpStatusCode.NotFound)]
    [InlineData("fashion-cnn@7", "png", HttpStatusCode.NotFound)]
    [InlineData("fashion-cnn@staging", "png", HttpStatusCode.NotFound)]
    [InlineData("Bad Name", "png", HttpStatusCode.BadRequest)]
    [InlineData("fashion-cnn", "empty", HttpStatusCode.BadRequest)]
    [InlineData("fashion-cnn", "text", HttpStatusCode.UnsupportedMediaType)]
    [InlineData("fashion-cnn", "truncated", HttpStatusCode.UnsupportedMediaType)]
    public async Task Predict_BadRequest_AnswersProblemJson(string target, string body, HttpStatusCode status)
    {
        var png = await server.Stores.Blobs.GetAsync(server.TestSamples[0].BlobHash, CancellationToken.None);
        byte[] bytes = body switch
        {
            "png" => png,
            "empty" => [],
            "text" => "this is not an image"u8.ToArray(),
            _ => png[..(png.Length / 2)],
        };
        using var content = new ByteArrayContent(bytes);

        using var response = await server.Client.PostAsync(new Uri($"/v1/models/{Uri.EscapeDataString(target)}:predict", UriKind.Relative), content);

        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal((int)status, problem.RootElement.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrWhiteSpace(problem.RootElement.GetProperty("detail").GetString()));
    }

    [Fact]
    public async Task UnknownRoute_AnswersProblemJson404()
    {
        using var response = await server.Client.GetAsync(new Uri("/v1/nothing-here", UriKind.Relative));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task BrokenVersion_AnswersServiceUnavailable_AndOthersKeepServing()
    {
        var good = await server.Stores.Models.ResolveAsync(Core.VersionedName.Parse("fashion-cnn@1"), CancellationToken.None);
        var staged = Path.Combine(Path.GetTempPath(), "maas-broken-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(staged);
        foreach (var file in new[] { ModelVersion.PipelineFileName, ModelVersion.LabelsFileName })
        {
            File.Copy(Path.Combine(server.Stores.Models.ArtifactPath(good), file), Path.Combine(staged, file));
        }

        File.WriteAllText(Path.Combine(staged, ModelVersion.OnnxFileName), "truncated download");
        await server.Stores.Models.RegisterAsync("broken", staged, null, null, good.Labels, new Dictionary<string, double>(), CancellationToken.None);
        var png = await server.Stores.Blobs.GetAsync(server.TestSamples[0].BlobHash, CancellationToken.None);

        using var content = new ByteArrayContent(png);
        using var response = await server.Client.PostAsync(new Uri("/v1/models/broken:predict", UriKind.Relative), content);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Contains("broken@1 cannot be served", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal("fashion-cnn", (await PredictAsync("fashion-cnn", png)).Model);
    }
}
