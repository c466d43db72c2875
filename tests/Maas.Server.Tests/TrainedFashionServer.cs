using Maas.Core;
using Maas.Core.Datasets;
using Maas.Core.Models;
using Maas.Datasets;
using Maas.Server.Hosting;
using Maas.Storage;
using Maas.Testing;
using Maas.Training;
using Maas.Workflows.Training;
using Microsoft.AspNetCore.Builder;

namespace Maas.Server.Tests;

/// <summary>
/// The whole chain once per test class: a few thousand real Fashion-MNIST images imported, a small CNN trained for one
/// short epoch and registered, and the real server started on a free loopback port.
/// </summary>
public sealed class TrainedFashionServer : IAsyncLifetime
{
    /// <summary>The collection every test class that shares the trained server joins, so training runs once.</summary>
    public const string Collection = "trained fashion server";

    private readonly TempFolder _temp = new();

    public MaasStores Stores { get; private set; } = null!;

    public TrainingOutcome Outcome { get; private set; } = null!;

    public WebApplication App { get; private set; } = null!;

    public HttpClient Client { get; private set; } = null!;

    public CapturingObserver Observer { get; } = new();

    /// <summary>Every log entry the server writes.</summary>
    public CapturingLoggerProvider Logs { get; } = new();

    public IReadOnlyList<Sample> TestSamples { get; private set; } = null!;

    /// <summary>An API key with the manage scope.</summary>
    public string ManageKey { get; private set; } = null!;

    /// <summary>The id of <see cref="ManageKey"/>.</summary>
    public string ManageKeyId { get; private set; } = null!;

    /// <summary>An API key with the predict scope.</summary>
    public string PredictKey { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var source = _temp.Combine("idx");
        FashionMnist.WriteSubset(source, trainCount: 6000, testCount: 1000, gzip: true);
        Stores = MaasStores.Open(new MaasHome(_temp.Combine("home")));
        var import = await new DatasetImporter(Stores.Datasets, Stores.Blobs)
            .ImportAsync(source, "fashion", new ImportOptions(FashionMnist.ClassNames), null, CancellationToken.None);
        Outcome = await new TrainingJob(Stores).RunAsync(
            new TrainingRequest(VersionedName.Parse(import.Version.Reference), new TrainingOptions { Epochs = 1, BatchSize = 64 }, "fashion-cnn"),
            null, CancellationToken.None);
        TestSamples = (await Stores.Datasets.GetSamplesAsync("fashion", 1, CancellationToken.None)).Where(s => s.Split == Split.Test).ToList();
        var manage = await Stores.Keys.CreateAsync("tests", Core.Security.ApiKeyScope.Manage, CancellationToken.None);
        (ManageKeyId, ManageKey) = (manage.Key.Id, manage.Secret);
        PredictKey = (await Stores.Keys.CreateAsync("client", Core.Security.ApiKeyScope.Predict, CancellationToken.None)).Secret;
        App = await MaasServer.StartAsync(new MaasServerOptions(Stores.Home, Port: 0), Observer, null, Logs, CancellationToken.None);
        Client = new HttpClient { BaseAddress = App.Address() };
    }

    /// <summary>Registers <paramref name="model"/> twice, both copies of fashion-cnn@1: same answers, different version numbers.</summary>
    public async Task RegisterCopiesAsync(string model)
    {
        var source = await Stores.Models.ResolveAsync(VersionedName.Parse("fashion-cnn@1"), CancellationToken.None);
        for (var i = 0; i < 2; i++)
        {
            var staged = Path.Combine(Path.GetTempPath(), "maas-copy-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(staged);
            foreach (var file in new[] { ModelVersion.OnnxFileName, ModelVersion.PipelineFileName, ModelVersion.LabelsFileName })
            {
                File.Copy(Path.Combine(Stores.Models.ArtifactPath(source), file), Path.Combine(staged, file));
            }

            await Stores.Models.RegisterAsync(model, staged, source.RunId, source.Dataset, source.Labels, source.Metrics, CancellationToken.None);
        }
    }

    /// <summary>A request to <paramref name="path"/>, with <paramref name="key"/> as bearer token and <paramref name="body"/> as JSON.</summary>
    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? key, object? body = null)
    {
        using var request = new HttpRequestMessage(method, new Uri(Client.BaseAddress!, path));
        if (key is not null)
        {
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key);
        }

        if (body is not null)
        {
            request.Content = System.Net.Http.Json.JsonContent.Create(body);
        }

        return await Client.SendAsync(request);
    }

    public async Task DisposeAsync()
    {
        Client.Dispose();
        await App.DisposeAsync();
        _temp.Dispose();
    }
}
