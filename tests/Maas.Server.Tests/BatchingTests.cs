using System.Globalization;
using System.Net;
using System.Text.Json;

namespace Maas.Server.Tests;

[Collection(TrainedFashionServer.Collection)]
public sealed class BatchingTests(TrainedFashionServer server)
{
    private static double Value(string text, string series) =>
        text.Split('\n').Where(l => l.StartsWith(series + " ", StringComparison.Ordinal))
            .Select(l => double.Parse(l[(series.Length + 1)..], CultureInfo.InvariantCulture)).SingleOrDefault();

    private async Task<(HttpStatusCode Status, int Version, Dictionary<int, float> Probabilities)> PredictAsync(string target, byte[] image)
    {
        using var content = new ByteArrayContent(image);
        using var response = await server.Client.PostAsync(new Uri($"/v1/models/{target}:predict", UriKind.Relative), content);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            return (response.StatusCode, 0, []);
        }

        using var answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return (response.StatusCode, answer.RootElement.GetProperty("version").GetInt32(),
            answer.RootElement.GetProperty("predictions").EnumerateArray().ToDictionary(p => p.GetProperty("index").GetInt32(), p => p.GetProperty("probability").GetSingle()));
    }

    private async Task DeployAsync(object body)
    {
        using var deployed = await server.SendAsync(HttpMethod.Post, "/v1/deployments", server.ManageKey, body);
        Assert.Equal(HttpStatusCode.Created, deployed.StatusCode);
    }

    [Fact]
    public async Task ConcurrentPredictions_RunInFewBatches_WithTheUnbatchedResults_AndAreMeasured()
    {
        await server.RegisterCopiesAsync("batch-cnn");
        // A long delay: the batch runs as soon as all 16 have joined, whatever the machine's load.
        await DeployAsync(new { model = "batch-cnn@1", maxBatchSize = 16, maxQueueDelayMs = 10_000 });
        var images = await Task.WhenAll(server.TestSamples.Take(16).Select(s => server.Stores.Blobs.GetAsync(s.BlobHash, CancellationToken.None)));
        const string Batches = "maas_batch_size_count{model=\"batch-cnn\",version=\"1\"}";
        var before = await server.Client.GetStringAsync(new Uri("/metrics", UriKind.Relative));

        var batched = await Task.WhenAll(images.Select(image => PredictAsync("batch-cnn", image)));

        var after = await server.Client.GetStringAsync(new Uri("/metrics", UriKind.Relative));
        var runs = Value(after, Batches) - Value(before, Batches);
        Assert.All(batched, b => Assert.Equal((HttpStatusCode.OK, 1), (b.Status, b.Version)));
        Assert.InRange(runs, 1, 4);
        Assert.Equal(16, Value(after, "maas_batch_size_sum{model=\"batch-cnn\",version=\"1\"}") - Value(before, "maas_batch_size_sum{model=\"batch-cnn\",version=\"1\"}"));
        Assert.Equal(16, Value(after, "maas_queue_seconds_count{model=\"batch-cnn\",version=\"1\"}") - Value(before, "maas_queue_seconds_count{model=\"batch-cnn\",version=\"1\"}"));
        Assert.Contains("# TYPE maas_batch_size histogram", after, StringComparison.Ordinal);
        Assert.Contains("maas_batch_size_bucket{model=\"batch-cnn\",version=\"1\",le=\"16\"}", after, StringComparison.Ordinal);
        Assert.Contains("# TYPE maas_queue_depth gauge", after, StringComparison.Ordinal);
        Assert.Contains("maas_queue_depth{model=\"batch-cnn\",version=\"1\"} 0", after, StringComparison.Ordinal);
        Assert.Contains("# TYPE maas_queue_rejected_total counter", after, StringComparison.Ordinal);

        // One at a time through fashion-cnn, the same weights, every batch of one: identical probabilities.
        for (var i = 0; i < images.Length; i++)
        {
            var alone = await PredictAsync("fashion-cnn@1", images[i]);
            Assert.Equal(alone.Probabilities, batched[i].Probabilities);
        }
    }

    [Fact]
    public async Task CanaryAtFiftyPercent_AnswersExactlyHalfOfTwoHundredRequests_OnBothApis()
    {
        await server.RegisterCopiesAsync("canary-cnn");
        await DeployAsync(new { model = "canary-cnn", version = 1, canary = new { version = 2, percent = 50 } });
        var image = await server.Stores.Blobs.GetAsync(server.TestSamples[2].BlobHash, CancellationToken.None);
        var payload = $"{{\"inputs\":[{{\"name\":\"image\",\"datatype\":\"BYTES\",\"shape\":[1],\"data\":[\"{Convert.ToBase64String(image)}\"]}}]}}";
        using (var metadata = JsonDocument.Parse(await server.Client.GetStringAsync(new Uri("/v2/models/fashion-cnn", UriKind.Relative))))
        {
            payload = payload.Replace("\"image\"", $"\"{metadata.RootElement.GetProperty("inputs")[0].GetProperty("name").GetString()}\"", StringComparison.Ordinal);
        }

        var versions = new List<int>();
        for (var i = 0; i < 100; i++)
        {
            var v1 = await PredictAsync("canary-cnn", image);
            Assert.Equal(HttpStatusCode.OK, v1.Status);
            versions.Add(v1.Version);
            using var content = new StringContent(payload);
            using var v2 = await server.Client.PostAsync(new Uri("/v2/models/canary-cnn/infer", UriKind.Relative), content);
            var body = await v2.Content.ReadAsStringAsync();
            Assert.True(v2.StatusCode == HttpStatusCode.OK, body);
            using var answer = JsonDocument.Parse(body);
            versions.Add(int.Parse(answer.RootElement.GetProperty("model_version").GetString()!, CultureInfo.InvariantCulture));
        }

        Assert.Equal((100, 100), (versions.Count(v => v == 1), versions.Count(v => v == 2)));
        using var list = JsonDocument.Parse(await (await server.SendAsync(HttpMethod.Get, "/v1/deployments", server.ManageKey)).Content.ReadAsStringAsync());
        var deployment = list.RootElement.EnumerateArray().Single(d => d.GetProperty("model").GetString() == "canary-cnn");
        Assert.Equal((1, 2, 50), (deployment.GetProperty("version").GetInt32(), deployment.GetProperty("canaryVersion").GetInt32(), deployment.GetProperty("canaryPercent").GetInt32()));
    }

    [Fact]
    public async Task Scale_ReloadsWithMoreInstances_AndKeepsServing()
    {
        await server.RegisterCopiesAsync("scale-cnn");
        await DeployAsync(new { model = "scale-cnn@1" });
        var image = await server.Stores.Blobs.GetAsync(server.TestSamples[3].BlobHash, CancellationToken.None);
        var first = await PredictAsync("scale-cnn", image);

        using var scaled = await server.SendAsync(HttpMethod.Post, "/v1/deployments/scale-cnn/scale", server.ManageKey, new { instances = 2 });
        using var refused = await server.SendAsync(HttpMethod.Post, "/v1/deployments/scale-cnn/scale", server.ManageKey, new { instances = 0 });
        using var missing = await server.SendAsync(HttpMethod.Post, "/v1/deployments/nothing/scale", server.ManageKey, new { instances = 2 });
        using var predictKey = await server.SendAsync(HttpMethod.Post, "/v1/deployments/scale-cnn/scale", server.PredictKey, new { instances = 2 });

        Assert.Equal(HttpStatusCode.OK, scaled.StatusCode);
        using var deployment = JsonDocument.Parse(await scaled.Content.ReadAsStringAsync());
        Assert.Equal((1, 2), (deployment.RootElement.GetProperty("version").GetInt32(), deployment.RootElement.GetProperty("instances").GetInt32()));
        Assert.Equal((HttpStatusCode.BadRequest, HttpStatusCode.NotFound, HttpStatusCode.Forbidden), (refused.StatusCode, missing.StatusCode, predictKey.StatusCode));
        Assert.Contains("instances", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var again = await PredictAsync("scale-cnn", image);
        Assert.Equal(HttpStatusCode.OK, again.Status);
        Assert.Equal(first.Probabilities, again.Probabilities);
    }

    [Fact]
    public async Task OpenApiDocument_ListsTheV1V2ManagementAndHealthRoutes_WithSummaries()
    {
        using var document = JsonDocument.Parse(await server.Client.GetStringAsync(new Uri("/openapi/v1.json", UriKind.Relative)));

        var paths = document.RootElement.GetProperty("paths");
        foreach (var path in new[] { "/v1/models/{target}", "/v2/models/{model}/infer", "/v1/deployments", "/v1/deployments/{model}/scale", "/health/ready", "/metrics" })
        {
            Assert.True(paths.TryGetProperty(path, out _), $"{path} is missing from the OpenAPI document");
        }

        Assert.False(string.IsNullOrWhiteSpace(paths.GetProperty("/v2/models/{model}/infer").GetProperty("post").GetProperty("summary").GetString()));
        Assert.False(string.IsNullOrWhiteSpace(paths.GetProperty("/v1/deployments").GetProperty("post").GetProperty("summary").GetString()));
    }
}
