using System.Globalization;
using Maas.Inference;
using Maas.Server.Apis.Health;
using Maas.Server.Apis.MaasV1;
using Maas.Server.Apis.Management;
using Maas.Server.Apis.OpenInference;
using Maas.Server.Deployments;
using Maas.Server.Metrics;
using Maas.Storage;
using Maas.Storage.Locking;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Maas.Server.Hosting;

/// <summary>Builds and starts the inference server; the CLI and the functional tests both use this.</summary>
public static class MaasServer
{
    /// <summary>Builds the server, loads every registered model, and starts listening.</summary>
    /// <returns>The running application; dispose it (or call StopAsync) to stop.</returns>
    public static Task<WebApplication> StartAsync(MaasServerOptions options, IInputObserver? observer, CancellationToken cancellationToken) =>
        StartAsync(options, observer, null, cancellationToken);

    /// <summary>Builds the server, loads every registered model, and starts listening.</summary>
    /// <param name="options">How the server runs.</param>
    /// <param name="observer">Sees each preprocessed tensor.</param>
    /// <param name="batchObserver">Sees each batch run after the server's metrics do.</param>
    /// <param name="cancellationToken">Cancels start-up.</param>
    /// <returns>The running application; dispose it (or call StopAsync) to stop.</returns>
    public static Task<WebApplication> StartAsync(MaasServerOptions options, IInputObserver? observer, IBatchObserver? batchObserver,
        CancellationToken cancellationToken) =>
        StartAsync(options, observer, batchObserver, null, cancellationToken);

    /// <summary>Builds the server, loads every registered model, and starts listening.</summary>
    /// <param name="options">How the server runs.</param>
    /// <param name="observer">Sees each preprocessed tensor.</param>
    /// <param name="batchObserver">Sees each batch run after the server's metrics do.</param>
    /// <param name="logProvider">Receives every log entry besides the console, e.g. to ship or inspect them.</param>
    /// <param name="cancellationToken">Cancels start-up.</param>
    /// <returns>The running application; dispose it (or call StopAsync) to stop.</returns>
    public static async Task<WebApplication> StartAsync(MaasServerOptions options, IInputObserver? observer, IBatchObserver? batchObserver,
        ILoggerProvider? logProvider, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        const string Timestamp = "yyyy-MM-ddTHH:mm:ss.fffZ ";
        if (options.LogFormat == ServerLogFormat.Json)
        {
            builder.Logging.AddJsonConsole(o => (o.TimestampFormat, o.UseUtcTimestamp) = (Timestamp.TrimEnd(), true));
        }
        else
        {
            builder.Logging.AddSimpleConsole(o => (o.SingleLine, o.TimestampFormat, o.UseUtcTimestamp) = (true, Timestamp, true));
        }

        if (logProvider is not null)
        {
            builder.Logging.AddProvider(logProvider);
        }

        // Warnings only, except the one entry per request that operators asked for.
        builder.Logging.SetMinimumLevel(LogLevel.Warning).AddFilter(ServerLog.RequestCategory, LogLevel.Information);
        builder.WebHost.UseUrls(string.Create(CultureInfo.InvariantCulture, $"http://{options.Host}:{options.Port}"));
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = options.MaxBodyBytes);
        // Held shared for the server's lifetime, so no dataset removal or gc (exclusive) runs under it; the container
        // disposes it, releasing the lock, when the server stops.
        var homeLock = await HomeLock.AcquireSharedAsync(options.Home, "serving models", cancellationToken);
        builder.Services.AddSingleton(_ => homeLock);
        try
        {
            var stores = MaasStores.Open(options.Home);
            builder.Services.AddSingleton(options);
            // A factory registration, so the container disposes the stores (and closes their files) when the server stops.
            builder.Services.AddSingleton(_ => stores);
            // Registered through a factory so the container disposes it, and with it every ONNX Runtime session.
            builder.Services.AddSingleton<ServerMetrics>();
            builder.Services.AddSingleton(services => new ModelCatalog(stores.Models, observer, options.Batching,
                batchObserver is null ? services.GetRequiredService<ServerMetrics>() : new BatchObserverPair(services.GetRequiredService<ServerMetrics>(), batchObserver)));
            builder.Services.AddProblemDetails();
            builder.Services.AddOpenApi();

            var app = builder.Build();
            // Resolved once so that the container owns it (and releases it on disposal) however the server stops.
            app.Services.GetRequiredService<HomeLock>();
            app.UseRequestLogging();
            app.UseRequestMetrics();
            app.UseMaasProblems();
            app.UseMaasStatusCodes();
            app.MapHealthApi();
            app.MapPredictionApi();
            app.MapOpenInferenceApi();
            app.MapManagementApi();
            app.MapMetricsApi();
            // /openapi/v1.json: every route above, with its name and summary, for client generators.
            app.MapOpenApi();
            await app.StartAsync(cancellationToken);
            await app.Services.GetRequiredService<ModelCatalog>().LoadAllAsync(cancellationToken);
            return app;
        }
        catch
        {
            // Start-up failed: nothing will stop the server, so the lock is released here.
            homeLock.Dispose();
            throw;
        }
    }

    /// <summary>The address the server listens on, e.g. <c>http://127.0.0.1:8080</c>.</summary>
    public static Uri Address(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        return new Uri(addresses.First());
    }
}
