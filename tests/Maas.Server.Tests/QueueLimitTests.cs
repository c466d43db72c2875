using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Maas.Server.Hosting;

namespace Maas.Server.Tests;

/// <summary>
/// Queue limits over HTTP, made deterministic by a second server whose batch observer can hold a model's worker
/// after a run: whatever is sent meanwhile waits in the queue.
/// </summary>
[Collection(TrainedFashionServer.Collection)]
public sealed class QueueLimitTests(TrainedFashionServer server)
{
    private static readonly TimeSpan s_patience = TimeSpan.FromSeconds(60);

    private sealed record Running(Microsoft.AspNetCore.Builder.WebApplication App, HttpClient Client, GatedBatchObserver Gate) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            Gate.Open();
            Client.Dispose();
            await App.DisposeAsync();
            Gate.Dispose();
        }
    }

    private async Task<Running> StartAsync(string model, object deployment)
    {
        await server.RegisterCopiesAsync(model);
        var gate = new GatedBatchObserver(model);
        var app = await MaasServer.StartAsync(new MaasServerOptions(server.Stores.Home, Port: 0), null, gate, CancellationToken.None);
        var client = new HttpClient { BaseAddress = app.Address() };
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/v1/deployments", UriKind.Relative)) { Content = JsonContent.Create(deployment) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", server.ManageKey);
        using var deployed = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.Created, deployed.StatusCode);
        return new Running(app, client, gate);
    }

    private async Task<byte[]> ImageAsync() => await server.Stores.Blobs.GetAsync(server.TestSamples[5].BlobHash, CancellationToken.None);

    private static async Task<HttpResponseMessage> PredictAsync(HttpClient client, string model, byte[] image, CancellationToken cancellationToken = default)
    {
        using var content = new ByteArrayContent(image);
        return await client.PostAsync(new Uri($"/v1/models/{model}:predict", UriKind.Relative), content, cancellationToken);
    }

    private static async Task WaitForDepthAsync(HttpClient client, string model, int depth)
    {
        var series = $"maas_queue_depth{{model=\"{model}\",version=\"1\"}} {depth.ToString(CultureInfo.InvariantCulture)}";
        var deadline = DateTime.UtcNow + s_patience;
        while (!(await client.GetStringAsync(new Uri("/metrics", UriKind.Relative))).Split('\n').Contains(series))
        {
            Assert.True(DateTime.UtcNow < deadline, $"the queue of {model} never reached {depth}");
            await Task.Delay(20);
        }
    }

    [Fact]
    public async Task FullQueue_Answers503WithRetryAfter_OnBothApis_AndACancelledQueuedRequestIsNeverRun()
    {
        await using var running = await StartAsync("queue-cnn", new { model = "queue-cnn@1", maxBatchSize = 1, maxQueueDelayMs = 0, queueCapacity = 2 });
        var (client, gate) = (running.Client, running.Gate);
        var image = await ImageAsync();
        string input;
        using (var metadata = JsonDocument.Parse(await client.GetStringAsync(new Uri("/v2/models/queue-cnn", UriKind.Relative))))
        {
            input = metadata.RootElement.GetProperty("inputs")[0].GetProperty("name").GetString()!;
        }

        gate.Close();
        using (var first = await PredictAsync(client, "queue-cnn", image))
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        }

        Assert.True(await gate.Held.WaitAsync(s_patience));
        var queued = PredictAsync(client, "queue-cnn", image);
        using var leaving = new CancellationTokenSource();
        var abandoned = PredictAsync(client, "queue-cnn", image, leaving.Token);
        await WaitForDepthAsync(client, "queue-cnn", 2);

        using var refused = await PredictAsync(client, "queue-cnn", image);
        using var v2Content = new StringContent($"{{\"inputs\":[{{\"name\":\"{input}\",\"datatype\":\"BYTES\",\"shape\":[1],\"data\":[\"{Convert.ToBase64String(image)}\"]}}]}}");
        using var refusedV2 = await client.PostAsync(new Uri("/v2/models/queue-cnn/infer", UriKind.Relative), v2Content);

        Assert.Equal((HttpStatusCode.ServiceUnavailable, HttpStatusCode.ServiceUnavailable), (refused.StatusCode, refusedV2.StatusCode));
        Assert.True(refused.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        Assert.True(refusedV2.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        Assert.Contains("queue is full", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        using (var error = JsonDocument.Parse(await refusedV2.Content.ReadAsStringAsync()))
        {
            Assert.Contains("queue is full", error.RootElement.GetProperty("error").GetString(), StringComparison.Ordinal);
        }

        // The client goes away: its request leaves the queue at once.
        await leaving.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => abandoned);
        await WaitForDepthAsync(client, "queue-cnn", 1);
        gate.Open();
        using (var answered = await queued)
        {
            Assert.Equal(HttpStatusCode.OK, answered.StatusCode);
        }

        // Runs: the first request's, the queued one's; never the abandoned one's. The answers come before the observer
        // sees their runs, so wait for both runs to be done; then hold the worker after one more request's run: one
        // worker runs in queue order, so every run before it is recorded by then, and an abandoned run would be a fourth.
        Assert.True(await gate.Done.WaitAsync(s_patience));
        Assert.True(await gate.Done.WaitAsync(s_patience));
        gate.Close();
        using (var last = await PredictAsync(client, "queue-cnn", image))
        {
            Assert.Equal(HttpStatusCode.OK, last.StatusCode);
        }

        Assert.True(await gate.Held.WaitAsync(s_patience));
        Assert.Equal(3, gate.Runs.Count);
        Assert.Equal(2, gate.Rejected);
        var metrics = await client.GetStringAsync(new Uri("/metrics", UriKind.Relative));
        Assert.Contains("maas_queue_rejected_total{model=\"queue-cnn\",version=\"1\"} 2", metrics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RequestWaitingPastTheTimeout_Answers504_AndTwoInstancesServeWhileOneIsHeld()
    {
        await using var running = await StartAsync("timeout-cnn", new { model = "timeout-cnn@1", maxBatchSize = 1, maxQueueDelayMs = 0, requestTimeoutMs = 300 });
        var (client, gate) = (running.Client, running.Gate);
        var image = await ImageAsync();
        gate.Close();
        (await PredictAsync(client, "timeout-cnn", image)).Dispose();
        Assert.True(await gate.Held.WaitAsync(s_patience));

        using var late = await PredictAsync(client, "timeout-cnn", image);

        Assert.Equal(HttpStatusCode.GatewayTimeout, late.StatusCode);
        Assert.Contains("300 ms", await late.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // Two sessions: with the first worker still held, the second answers.
        using var scaledRequest = new HttpRequestMessage(HttpMethod.Post, new Uri("/v1/deployments/timeout-cnn/scale", UriKind.Relative))
        {
            Content = JsonContent.Create(new { instances = 2 }),
        };
        scaledRequest.Headers.Authorization = new AuthenticationHeaderValue("Bearer", server.ManageKey);
        using (var scaled = await client.SendAsync(scaledRequest))
        {
            Assert.Equal(HttpStatusCode.OK, scaled.StatusCode);
        }

        using (var held = await PredictAsync(client, "timeout-cnn", image))
        {
            Assert.Equal(HttpStatusCode.OK, held.StatusCode);
        }

        Assert.True(await gate.Held.WaitAsync(s_patience));
        using var second = await PredictAsync(client, "timeout-cnn", image);

        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.True(await gate.Held.WaitAsync(s_patience));
        Assert.Equal([0, 1], gate.Runs.Skip(1).Select(r => r.Instance).Order());
    }
}
