using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Maas.Core.Models;
using Maas.Server.Deployments;
using Maas.Server.Hosting;

namespace Maas.Server.Tests;

[Collection(TrainedFashionServer.Collection)]
public sealed class ManagementTests(TrainedFashionServer server)
{
    private HttpRequestMessage Request(HttpMethod method, string path, string? key, object? body = null)
    {
        var request = new HttpRequestMessage(method, new Uri(server.Client.BaseAddress!, path));
        if (key is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }

        return request;
    }

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? key, object? body = null)
    {
        using var request = Request(method, path, key, body);
        return await server.Client.SendAsync(request);
    }

    private async Task<(HttpStatusCode Status, int Version)> PredictAsync(string target, byte[] image)
    {
        using var content = new ByteArrayContent(image);
        using var response = await server.Client.PostAsync(new Uri($"/v1/models/{target}:predict", UriKind.Relative), content);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            return (response.StatusCode, 0);
        }

        using var answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return (response.StatusCode, answer.RootElement.GetProperty("version").GetInt32());
    }

    [Fact]
    public async Task ManagementRoutes_WithoutKeyWithBadKeyOrPredictKey_AreRefused()
    {
        using var none = await SendAsync(HttpMethod.Get, "/v1/deployments", null);
        using var bad = await SendAsync(HttpMethod.Get, "/v1/deployments", "maas_000000000000_nope");
        using var predict = await SendAsync(HttpMethod.Get, "/v1/deployments", server.PredictKey);
        using var manage = await SendAsync(HttpMethod.Get, "/v1/deployments", server.ManageKey);

        Assert.Equal((HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.Forbidden, HttpStatusCode.OK),
            (none.StatusCode, bad.StatusCode, predict.StatusCode, manage.StatusCode));
        Assert.Equal("application/problem+json", none.Content.Headers.ContentType?.MediaType);
        Assert.Equal("Bearer", none.Headers.WwwAuthenticate.Single().Scheme);
        Assert.Equal("application/problem+json", predict.Content.Headers.ContentType?.MediaType);
        using var deployments = JsonDocument.Parse(await manage.Content.ReadAsStringAsync());
        var fashion = deployments.RootElement.EnumerateArray().Single(d => d.GetProperty("model").GetString() == "fashion-cnn");
        Assert.True(fashion.GetProperty("ready").GetBoolean());
        Assert.Equal(("production", 1), (fashion.GetProperty("alias").GetString(), fashion.GetProperty("version").GetInt32()));
    }

    [Fact]
    public void Server_BindsLoopbackByDefault()
    {
        Assert.Equal("127.0.0.1", new MaasServerOptions(server.Stores.Home).Host);
        Assert.True(IPAddress.IsLoopback(IPAddress.Parse(server.App.Address().Host)));
    }

    [Fact]
    public async Task RequirePredictKey_RefusesPredictionWithoutAValidKey()
    {
        await using var strict = await MaasServer.StartAsync(new MaasServerOptions(server.Stores.Home, Port: 0, RequirePredictKey: true), null, CancellationToken.None);
        using var client = new HttpClient { BaseAddress = strict.Address() };
        var image = await server.Stores.Blobs.GetAsync(server.TestSamples[0].BlobHash, CancellationToken.None);
        async Task<HttpResponseMessage> Post(string path, string? key, HttpContent content)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(path, UriKind.Relative)) { Content = content };
            if (key is not null)
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
            }

            return await client.SendAsync(request);
        }

        var revoked = await server.Stores.Keys.CreateAsync("gone", Core.Security.ApiKeyScope.Predict, CancellationToken.None);
        await server.Stores.Keys.RevokeAsync(revoked.Key.Id, CancellationToken.None);

        using var without = await Post("/v1/models/fashion-cnn:predict", null, new ByteArrayContent(image));
        using var withRevoked = await Post("/v1/models/fashion-cnn:predict", revoked.Secret, new ByteArrayContent(image));
        using var withPredict = await Post("/v1/models/fashion-cnn:predict", server.PredictKey, new ByteArrayContent(image));
        using var v2 = await Post("/v2/models/fashion-cnn/infer", null, new StringContent("{\"inputs\":[]}"));
        using var live = await client.GetAsync(new Uri("/v2/health/live", UriKind.Relative));

        Assert.Equal((HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.OK, HttpStatusCode.Unauthorized, HttpStatusCode.OK),
            (without.StatusCode, withRevoked.StatusCode, withPredict.StatusCode, v2.StatusCode, live.StatusCode));
        Assert.Equal("application/problem+json", without.Content.Headers.ContentType?.MediaType);
        using var error = JsonDocument.Parse(await v2.Content.ReadAsStringAsync());
        Assert.Contains("API key", error.RootElement.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AliasMove_UnderConcurrentPredictions_FailsNoneSwitchesVersionsAndDisposesTheOldSession()
    {
        await server.RegisterCopiesAsync("swap-cnn");
        await server.Stores.Models.SetAliasAsync("swap-cnn", WellKnownAliases.Production, 1, "first", CancellationToken.None);
        using (var deployed = await SendAsync(HttpMethod.Post, "/v1/deployments", server.ManageKey, new { model = "swap-cnn@production" }))
        {
            Assert.Equal(HttpStatusCode.Created, deployed.StatusCode);
            using var deployment = JsonDocument.Parse(await deployed.Content.ReadAsStringAsync());
            Assert.Equal((1, true), (deployment.RootElement.GetProperty("version").GetInt32(), deployment.RootElement.GetProperty("ready").GetBoolean()));
        }

        var image = await server.Stores.Blobs.GetAsync(server.TestSamples[0].BlobHash, CancellationToken.None);
        var answers = new ConcurrentQueue<(HttpStatusCode Status, int Version, bool AfterMove)>();
        var moved = 0;
        using var stop = new CancellationTokenSource();
        var workers = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                var after = Volatile.Read(ref moved) == 1;
                var (status, version) = await PredictAsync("swap-cnn", image);
                answers.Enqueue((status, version, after));
            }
        })).ToList();
        while (answers.Count < 20)
        {
            await Task.Delay(10);
        }

        using (var move = await SendAsync(HttpMethod.Post, "/v1/models/swap-cnn/aliases/production", server.ManageKey, new { version = 2, reason = "canary passed" }))
        {
            Assert.Equal(HttpStatusCode.OK, move.StatusCode);
        }

        Volatile.Write(ref moved, 1);
        var atMove = answers.Count;
        while (answers.Count < atMove + 20)
        {
            await Task.Delay(10);
        }

        await stop.CancelAsync();
        await Task.WhenAll(workers);

        Assert.All(answers, a => Assert.Equal(HttpStatusCode.OK, a.Status));
        Assert.Contains(answers, a => a.Version == 1);
        Assert.All(answers.Where(a => a.AfterMove), a => Assert.Equal(2, a.Version));
        var history = await server.Stores.Models.GetAliasHistoryAsync("swap-cnn", CancellationToken.None);
        Assert.Equal((1, 2, server.ManageKeyId, "canary passed"), (history[^1].FromVersion, history[^1].ToVersion, history[^1].MovedBy, history[^1].Reason));
        var catalog = (ModelCatalog)server.App.Services.GetService(typeof(ModelCatalog))!;
        Assert.DoesNotContain("swap-cnn@1", catalog.Loaded.Select(v => v.Reference));
        Assert.Contains("swap-cnn@2", catalog.Loaded.Select(v => v.Reference));

        // Undeploy, then deploy a pinned version.
        using (var undeployed = await SendAsync(HttpMethod.Delete, "/v1/deployments/swap-cnn", server.ManageKey))
        {
            Assert.Equal(HttpStatusCode.OK, undeployed.StatusCode);
        }

        Assert.Equal(HttpStatusCode.NotFound, (await PredictAsync("swap-cnn", image)).Status);
        Assert.DoesNotContain("swap-cnn@2", catalog.Loaded.Select(v => v.Reference));
        using (var pinned = await SendAsync(HttpMethod.Post, "/v1/deployments", server.ManageKey, new { model = "swap-cnn@1" }))
        {
            Assert.Equal(HttpStatusCode.Created, pinned.StatusCode);
        }

        Assert.Equal((HttpStatusCode.OK, 1), await PredictAsync("swap-cnn", image));
    }

    [Fact]
    public async Task Metrics_CountRequestsAndPredictionsAndListLoadedModels()
    {
        var image = await server.Stores.Blobs.GetAsync(server.TestSamples[1].BlobHash, CancellationToken.None);
        static double Value(string text, string series) =>
            text.Split('\n').Where(l => l.StartsWith(series + " ", StringComparison.Ordinal))
                .Select(l => double.Parse(l[(series.Length + 1)..], System.Globalization.CultureInfo.InvariantCulture)).SingleOrDefault();
        const string Ok = "maas_requests_total{api=\"v1\",model=\"fashion-cnn\",version=\"1\",status=\"200\"}";
        const string Missing = "maas_requests_total{api=\"v1\",model=\"fashion-cnn\",version=\"\",status=\"404\"}";
        var before = await server.Client.GetStringAsync(new Uri("/metrics", UriKind.Relative));

        for (var i = 0; i < 3; i++)
        {
            await PredictAsync("fashion-cnn@1", image);
        }

        await PredictAsync("fashion-cnn@9", image);
        using var response = await server.Client.GetAsync(new Uri("/metrics", UriKind.Relative));
        var after = await response.Content.ReadAsStringAsync();

        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(3, Value(after, Ok) - Value(before, Ok));
        Assert.Equal(1, Value(after, Missing) - Value(before, Missing));
        Assert.Contains("# TYPE maas_inference_seconds histogram", after, StringComparison.Ordinal);
        Assert.True(Value(after, "maas_preprocess_seconds_count{model=\"fashion-cnn\",version=\"1\"}") >= 3);
        Assert.True(Value(after, "maas_inference_seconds_bucket{model=\"fashion-cnn\",version=\"1\",le=\"+Inf\"}") >= 3);
        Assert.Contains("maas_predictions_total{model=\"fashion-cnn\",version=\"1\",class=", after, StringComparison.Ordinal);
        Assert.Contains("maas_model_loaded{model=\"fashion-cnn\",version=\"1\"} 1", after, StringComparison.Ordinal);
        Assert.True(Value(after, "maas_loaded_models") >= 1);
    }
}
