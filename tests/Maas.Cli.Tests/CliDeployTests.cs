using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Maas.Core;
using Maas.Core.Errors;
using Maas.Core.Models;
using Maas.Core.Pipelines;
using Maas.Inference.Tests;
using Maas.Storage;
using Maas.Testing;

namespace Maas.Cli.Tests;

/// <summary>
/// <c>maas deploy --canary</c> and <c>maas scale</c> as a user runs them: a real <c>maas serve</c> process on a free
/// port, a manage key from <c>maas keys create</c>, and the commands against the server's address.
/// </summary>
public sealed class CliDeployTests : IAsyncLifetime
{
    // Two gray pixels in, three classes out: enough for the server to load, warm up and answer.
    private static readonly float[,] s_weights = { { 2f, 0f, 0f }, { 0f, 2f, 0f } };
    private static readonly float[] s_bias = [0f, 0f, 0.5f];

    private readonly TempFolder _temp = new();
    private ServeProcess _server = null!;
    private string _key = null!;
    private string _keyId = null!;

    private string Home => _temp.Combine("home");

    public async Task InitializeAsync()
    {
        using (var stores = MaasStores.Open(new MaasHome(Home)))
        {
            for (var i = 1; i <= 2; i++)
            {
                var staged = _temp.Combine("staged" + i);
                Directory.CreateDirectory(staged);
                File.WriteAllBytes(Path.Combine(staged, ModelVersion.OnnxFileName), LinearSoftmaxGraph.Build(1, 1, 2, s_weights, s_bias));
                File.WriteAllText(Path.Combine(staged, ModelVersion.PipelineFileName), PipelineSpec.ForImages(ColorMode.Gray, 2, 1).ToJson());
                File.WriteAllText(Path.Combine(staged, ModelVersion.LabelsFileName), JsonSerializer.Serialize(new[] { "left", "right", "dark" }));
                await stores.Models.RegisterAsync("tiny", staged, $"run_{i}", "pixels@1", ["left", "right", "dark"], new Dictionary<string, double>(), CancellationToken.None);
            }
        }

        var created = await MaasProcess.RunAsync(Home, "keys", "create", "--scope", "manage", "--name", "ops", "--json");
        Assert.Equal(0, created.ExitCode);
        using (var key = JsonDocument.Parse(created.Stdout))
        {
            (_key, _keyId) = (key.RootElement.GetProperty("key").GetString()!, key.RootElement.GetProperty("id").GetString()!);
        }

        _server = await ServeProcess.StartAsync(Home, "--log-format", "json");
    }

    private Task<MaasProcess.Result> RunAsync(params string[] args) =>
        MaasProcess.RunAsync(Home, [.. args, "--server", _server.Url.ToString(), "--key", _key]);

    private async Task<HttpStatusCode> PredictAsync()
    {
        using var http = new HttpClient { BaseAddress = _server.Url };
        using var content = new ByteArrayContent(TestImages.FlatGrayPng(2, 1, 200));
        content.Headers.ContentType = new MediaTypeHeaderValue("image/png");
        using var response = await http.PostAsync(new Uri("/v1/models/tiny:predict", UriKind.Relative), content);
        return response.StatusCode;
    }

    [Fact]
    public async Task DeployWithCanary_ServesTheCanaryAtItsPercent_AndSaysSo()
    {
        var json = await RunAsync("deploy", "tiny@1", "--canary", "2", "--canary-percent", "30", "--json");
        var text = await RunAsync("deploy", "tiny@1", "--canary", "2", "--canary-percent", "25");
        var outOfRange = await RunAsync("deploy", "tiny@1", "--canary", "2", "--canary-percent", "101");

        Assert.Equal(0, json.ExitCode);
        using (var deployed = JsonDocument.Parse(json.Stdout))
        {
            var root = deployed.RootElement;
            Assert.Equal(("tiny", 1, true, 2, 30), (root.GetProperty("model").GetString(), root.GetProperty("version").GetInt32(), root.GetProperty("ready").GetBoolean(),
                root.GetProperty("canaryVersion").GetInt32(), root.GetProperty("canaryPercent").GetInt32()));
        }

        Assert.Equal(0, text.ExitCode);
        Assert.Contains("Deployed tiny@1", text.Stdout, StringComparison.Ordinal);
        Assert.Contains("canary @2 at 25%", text.Stdout, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.InvalidInput, outOfRange.ExitCode);
        Assert.Contains("--canary-percent", outOfRange.Stderr, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, await PredictAsync());
    }

    [Fact]
    public async Task Scale_ReloadsWithTheInstances_AndTheServerLogsItAsJsonWithTheKeyId()
    {
        var scaled = await RunAsync("scale", "tiny", "--instances", "2", "--json");
        var unknown = await RunAsync("scale", "nope", "--instances", "2");
        var keyless = await MaasProcess.RunAsync(Home, "scale", "tiny", "--instances", "2", "--server", _server.Url.ToString(), "--key", "");
        var predicted = await PredictAsync();
        Assert.True(await _server.WaitForLineAsync(l => l.Contains("\"Path\":\"/v1/models/tiny:predict\"", StringComparison.Ordinal)));
        var log = await _server.StopAsync();

        Assert.Equal(0, scaled.ExitCode);
        using (var deployment = JsonDocument.Parse(scaled.Stdout))
        {
            Assert.Equal(("tiny", 2, true), (deployment.RootElement.GetProperty("model").GetString(), deployment.RootElement.GetProperty("instances").GetInt32(),
                deployment.RootElement.GetProperty("ready").GetBoolean()));
        }

        Assert.Equal(ExitCodes.NotFound, unknown.ExitCode);
        Assert.Equal(ExitCodes.Denied, keyless.ExitCode);
        Assert.Contains("manage", keyless.Stderr, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, predicted);
        var entries = log.Where(l => l.StartsWith("{\"Timestamp\"", StringComparison.Ordinal)).Select(l => JsonDocument.Parse(l)).ToList();
        try
        {
            var scale = Assert.Single(entries, e => e.RootElement.GetProperty("EventId").GetInt32() == 1000
                && e.RootElement.GetProperty("State").GetProperty("Path").GetString() == "/v1/deployments/tiny/scale"
                && e.RootElement.GetProperty("State").GetProperty("Status").GetInt32() == 200);
            Assert.Equal(_keyId, scale.RootElement.GetProperty("State").GetProperty("KeyId").GetString());
            Assert.Equal("POST", scale.RootElement.GetProperty("State").GetProperty("Method").GetString());
            var predict = Assert.Single(entries, e => e.RootElement.GetProperty("EventId").GetInt32() == 1000
                && e.RootElement.GetProperty("State").GetProperty("Path").GetString() == "/v1/models/tiny:predict");
            Assert.Equal(("tiny", 1), (predict.RootElement.GetProperty("State").GetProperty("Model").GetString(),
                predict.RootElement.GetProperty("State").GetProperty("Images").GetInt32()));
        }
        finally
        {
            entries.ForEach(e => e.Dispose());
        }
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _temp.Dispose();
    }
}
