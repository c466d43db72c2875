using System.CommandLine;
using Maas.Core;
using Maas.Core.Errors;
using Maas.Inference;
using Maas.Server.Deployments;
using Maas.Server.Hosting;
using Microsoft.Extensions.Hosting;
using Spectre.Console;

namespace Maas.Cli.Commands;

/// <summary><c>maas serve</c>.</summary>
internal static class ServeCommand
{
    public static readonly Option<string> Host = new("--host")
    {
        Description = "Address to bind. The default, 127.0.0.1, keeps the server private to this machine.",
        DefaultValueFactory = _ => "127.0.0.1",
    };

    public static readonly Option<int> Port = new("--port") { Description = "Port to listen on.", DefaultValueFactory = _ => 8080 };

    public static readonly Option<bool> RequirePredictKey = new("--require-predict-key")
    {
        Description = "Require an API key (predict or manage scope) for prediction too; management routes always require a manage key.",
    };

    public static readonly Option<int> MaxBatchSize = new("--max-batch-size")
    {
        Description = "The most images batched into one ONNX Runtime run.",
        DefaultValueFactory = _ => BatchingOptions.Default.MaxBatchSize,
    };

    public static readonly Option<int> MaxQueueDelayMs = new("--max-queue-delay-ms")
    {
        Description = "How long a request waits for others to join its batch, in milliseconds (0: run what is queued at once).",
        DefaultValueFactory = _ => BatchingOptions.Default.MaxQueueDelayMs,
    };

    public static readonly Option<int> QueueCapacity = new("--queue-capacity")
    {
        Description = "Requests that may wait per deployment; beyond it the server answers 503 with Retry-After.",
        DefaultValueFactory = _ => BatchingOptions.Default.QueueCapacity,
    };

    public static readonly Option<int> RequestTimeoutMs = new("--request-timeout-ms")
    {
        Description = "How long a request may wait and run before it is answered 504, in milliseconds.",
        DefaultValueFactory = _ => BatchingOptions.Default.RequestTimeoutMs,
    };

    public static readonly Option<int> Instances = new("--instances")
    {
        Description = "ONNX Runtime sessions per deployment, each batching from the shared queue.",
        DefaultValueFactory = _ => BatchingOptions.Default.Instances,
    };

    public static readonly Option<int> MaxImagesPerRequest = new("--max-images-per-request")
    {
        Description = "The most images one multipart or JSON prediction request may hold; more is answered 413.",
        DefaultValueFactory = _ => 64,
    };

    public static readonly Option<string> LogFormat = new("--log-format")
    {
        Description = "The console log, one entry per request: text (one readable line) or json (one object per line, for log collectors).",
        DefaultValueFactory = _ => "text",
    };

    public static Command Create()
    {
        var command = new Command("serve", "Serve every registered model over HTTP until Ctrl+C.")
        {
            Host, Port, RequirePredictKey, MaxBatchSize, MaxQueueDelayMs, QueueCapacity, RequestTimeoutMs, Instances, MaxImagesPerRequest, LogFormat,
        };
        LogFormat.AcceptOnlyFromAmong("text", "json");
        command.SetAction(CliContext.Action(async (parse, ct) =>
        {
            // Checked before anything loads, with an error that names the setting.
            var batching = new BatchingOptions(parse.GetValue(MaxBatchSize), parse.GetValue(MaxQueueDelayMs), parse.GetValue(QueueCapacity),
                parse.GetValue(RequestTimeoutMs), parse.GetValue(Instances)).Validate();
            var maxImages = parse.GetValue(MaxImagesPerRequest);
            if (maxImages is < 1 or > 4096)
            {
                throw new InvalidInputException($"--max-images-per-request: {maxImages} is out of range; use 1 to 4096.");
            }

            var options = new MaasServerOptions(MaasHome.FromEnvironment(), parse.GetValue(Host)!, parse.GetValue(Port),
                RequirePredictKey: parse.GetValue(RequirePredictKey), Batching: batching, MaxImagesPerRequest: maxImages,
                LogFormat: parse.GetValue(LogFormat) == "json" ? ServerLogFormat.Json : ServerLogFormat.Text);
            await RunAsync(options, parse.GetValue(CliContext.Json), null, ct);
            return ExitCodes.Success;
        }));
        return command;
    }

    /// <summary>Starts the server, prints where it listens (and <paramref name="hint"/>), and runs until cancelled.</summary>
    public static async Task RunAsync(MaasServerOptions options, bool json, string? hint, CancellationToken cancellationToken)
    {
        Microsoft.AspNetCore.Builder.WebApplication app;
        try
        {
            app = await MaasServer.StartAsync(options, null, cancellationToken);
        }
        catch (IOException e)
        {
            throw new UnavailableException($"cannot listen on {options.Host}:{options.Port} ({e.Message}); choose another --port.", e);
        }

        await using (app)
        {
            var address = app.Address();
            var models = app.Services.GetService(typeof(ModelCatalog)) is ModelCatalog catalog ? catalog.Loaded.Select(v => v.Reference).ToArray() : [];
            if (json)
            {
                CliContext.WriteJson(new { url = address.ToString().TrimEnd('/'), models });
            }
            else
            {
                AnsiConsole.MarkupLine($"Serving [bold]{models.Length}[/] model version(s) at [link]{address}[/]: {Markup.Escape(string.Join(", ", models))}");
                if (hint is not null)
                {
                    // Plain, never wrapped to the terminal's width: the hint holds a command meant to be pasted.
                    Console.Out.WriteLine(hint);
                }

                AnsiConsole.MarkupLine("[grey]Ready. Press Ctrl+C to stop.[/]");
            }

            // Returns on Ctrl+C or SIGTERM: the host's own console lifetime sees SIGTERM, which our token may not.
            await app.WaitForShutdownAsync(cancellationToken);
            await app.StopAsync(CancellationToken.None);
        }
    }
}
