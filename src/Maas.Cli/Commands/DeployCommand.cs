using System.CommandLine;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Maas.Core;
using Maas.Core.Errors;
using Spectre.Console;

namespace Maas.Cli.Commands;

/// <summary>
/// <c>maas deploy NAME[@VERSION|@ALIAS] [--canary V --canary-percent P]</c>, <c>maas undeploy NAME</c> and
/// <c>maas scale NAME --instances K</c>: ask a running server to load, unload or rescale a model.
/// </summary>
internal static class DeployCommand
{
    private static readonly Option<string> s_server = new("--server") { Description = "The server's base URL.", DefaultValueFactory = _ => "http://127.0.0.1:8080" };

    private static readonly Option<string> s_key = new("--key")
    {
        Description = "An API key with the manage scope (maas keys create --scope manage). The default is $MAAS_API_KEY.",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("MAAS_API_KEY") ?? "",
    };

    public static Command Create()
    {
        var model = new Argument<string>("model") { Description = "NAME (its production alias), NAME@ALIAS (followed as it moves) or NAME@VERSION (pinned)." };
        var canary = new Option<int?>("--canary") { Description = "A second version of the model that answers a share of the requests." };
        var percent = new Option<int>("--canary-percent") { Description = "The percentage of requests the canary answers (0 to 100).", DefaultValueFactory = _ => 10 };
        var command = new Command("deploy", "Load a model version or alias on a running server; answers once it is warmed up and ready.")
        {
            model, canary, percent, s_server, s_key,
        };
        command.SetAction(CliContext.Action(async (parse, ct) =>
        {
            var reference = VersionedName.Parse(parse.GetValue(model)!, "model");
            var split = parse.GetValue(canary) is { } version ? new { version, percent = parse.GetValue(percent) } : null;
            if (split is { percent: < 0 or > 100 })
            {
                throw new InvalidInputException($"--canary-percent: {split.percent} is out of range; use 0 to 100.");
            }

            return await SendAsync(parse, HttpMethod.Post, "/v1/deployments", JsonContent.Create(new { model = reference.ToString(), canary = split }), "Deployed", ct);
        }));
        return command;
    }

    public static Command CreateScale()
    {
        var model = new Argument<string>("model") { Description = "The model name." };
        var instances = new Option<int>("--instances") { Description = "ONNX Runtime sessions to serve it with, each batching from the shared queue.", Required = true };
        var command = new Command("scale", "Change how many ONNX Runtime sessions serve a deployment; batches in flight finish on the old ones.")
        {
            model, instances, s_server, s_key,
        };
        command.SetAction(CliContext.Action(async (parse, ct) =>
        {
            var name = parse.GetValue(model)!;
            VersionedName.ValidateName(name, "model name");
            return await SendAsync(parse, HttpMethod.Post, $"/v1/deployments/{name}/scale", JsonContent.Create(new { instances = parse.GetValue(instances) }), "Scaled", ct);
        }));
        return command;
    }

    public static Command CreateUndeploy()
    {
        var model = new Argument<string>("model") { Description = "The model name." };
        var command = new Command("undeploy", "Stop serving a model on a running server; requests in flight finish first.") { model, s_server, s_key };
        command.SetAction(CliContext.Action(async (parse, ct) =>
        {
            var name = parse.GetValue(model)!;
            VersionedName.ValidateName(name, "model name");
            return await SendAsync(parse, HttpMethod.Delete, $"/v1/deployments/{name}", null, "Undeployed", ct);
        }));
        return command;
    }

    private static async Task<int> SendAsync(ParseResult parse, HttpMethod method, string path, HttpContent? content, string verb, CancellationToken ct)
    {
        var baseUrl = parse.GetValue(s_server)!.TrimEnd('/');
        if (!Uri.TryCreate(baseUrl, UriKind.Absolute, out var server) || (server.Scheme != "http" && server.Scheme != "https"))
        {
            throw new InvalidInputException($"--server '{baseUrl}': not an http(s) URL.");
        }

        using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(5) };
        using var request = new HttpRequestMessage(method, new Uri(server, path)) { Content = content };
        if (parse.GetValue(s_key) is { Length: > 0 } key)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, ct);
        }
        catch (HttpRequestException e)
        {
            throw new UnavailableException($"no Maas server answers at {baseUrl} ({e.Message}); start one with 'maas serve'.", e);
        }

        using (response)
        {
            var body = await response.Content.ReadAsStringAsync(ct);
            if (!response.IsSuccessStatusCode)
            {
                throw ErrorFrom(response.StatusCode, body);
            }

            if (parse.GetValue(CliContext.Json))
            {
                Console.Out.WriteLine(body);
                return ExitCodes.Success;
            }

            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            var version = root.TryGetProperty("version", out var v) && v.ValueKind == JsonValueKind.Number ? $"@{v.GetInt32()}" : "";
            var instances = root.TryGetProperty("instances", out var i) && i.ValueKind == JsonValueKind.Number ? $", {i.GetInt32()} instance(s)" : "";
            var canary = root.TryGetProperty("canaryVersion", out var c) && c.ValueKind == JsonValueKind.Number
                ? $", canary @{c.GetInt32()} at {root.GetProperty("canaryPercent").GetInt32()}%" : "";
            AnsiConsole.MarkupLine($"{verb} [bold]{Markup.Escape(root.GetProperty("model").GetString()!)}{version}[/] ({Markup.Escape(root.GetProperty("selector").GetString()!)}{instances}{canary}).");
            return ExitCodes.Success;
        }
    }

    private static MaasException ErrorFrom(HttpStatusCode status, string body)
    {
        var detail = body;
        try
        {
            using var problem = JsonDocument.Parse(body);
            if (problem.RootElement.TryGetProperty("detail", out var d))
            {
                detail = d.GetString() ?? body;
            }
        }
        catch (JsonException)
        {
            // Not problem+json: show the body as it came.
        }

        return status switch
        {
            HttpStatusCode.NotFound => new NotFoundException(detail),
            HttpStatusCode.Unauthorized => new UnauthorizedException(detail),
            HttpStatusCode.Forbidden => new ForbiddenException(detail),
            HttpStatusCode.ServiceUnavailable => new UnavailableException(detail),
            HttpStatusCode.Conflict => new ConflictException(detail),
            _ => new InvalidInputException($"the server answered {(int)status}: {detail}"),
        };
    }
}
