using System.CommandLine;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Maas.Core;
using Maas.Core.Errors;
using Spectre.Console;

namespace Maas.Cli.Commands;

/// <summary><c>maas predict MODEL[@VERSION|@ALIAS] IMAGE</c>: asks a running server.</summary>
internal static class PredictCommand
{
    public static Command Create()
    {
        var model = new Argument<string>("model") { Description = "MODEL, MODEL@VERSION or MODEL@ALIAS (MODEL alone means its production alias)." };
        var image = new Argument<string>("image") { Description = "A PNG or JPEG file." };
        var url = new Option<string>("--url") { Description = "The server's base URL.", DefaultValueFactory = _ => "http://127.0.0.1:8080" };
        var command = new Command("predict", "Classify an image with a served model.") { model, image, url };
        command.SetAction(CliContext.Action(async (parse, ct) =>
        {
            var reference = VersionedName.Parse(parse.GetValue(model)!, "model");
            var path = parse.GetValue(image)!;
            if (!File.Exists(path))
            {
                throw new NotFoundException($"{path}: no such file.");
            }

            var bytes = await File.ReadAllBytesAsync(path, ct);
            var baseUrl = parse.GetValue(url)!.TrimEnd('/');
            if (!Uri.TryCreate(baseUrl, UriKind.Absolute, out var server) || (server.Scheme != "http" && server.Scheme != "https"))
            {
                throw new InvalidInputException($"--url '{baseUrl}': not an http(s) URL.");
            }

            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(60) };
            using var content = new ByteArrayContent(bytes);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            HttpResponseMessage response;
            try
            {
                response = await http.PostAsync(new Uri($"{baseUrl}/v1/models/{reference}:predict"), content, ct);
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
                    throw ErrorFrom(response.StatusCode, body, path);
                }

                if (parse.GetValue(CliContext.Json))
                {
                    Console.Out.WriteLine(body);
                    return ExitCodes.Success;
                }

                using var document = JsonDocument.Parse(body);
                var root = document.RootElement;
                AnsiConsole.MarkupLine($"[bold]{Markup.Escape(root.GetProperty("label").GetString()!)}[/] from {Markup.Escape(root.GetProperty("model").GetString()!)}@{root.GetProperty("version").GetInt32()}");
                var table = new Table().AddColumns("label", "probability");
                foreach (var p in root.GetProperty("predictions").EnumerateArray())
                {
                    table.AddRow(Markup.Escape(p.GetProperty("label").GetString()!), p.GetProperty("probability").GetSingle().ToString("0.0000", CultureInfo.InvariantCulture));
                }

                AnsiConsole.Write(table);
                return ExitCodes.Success;
            }
        }));
        return command;
    }

    private static MaasException ErrorFrom(HttpStatusCode status, string body, string path)
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

        detail = detail.Replace("request body", path, StringComparison.Ordinal);
        return status switch
        {
            HttpStatusCode.NotFound => new NotFoundException(detail),
            HttpStatusCode.UnsupportedMediaType => new UnsupportedImageException(detail),
            HttpStatusCode.ServiceUnavailable => new UnavailableException(detail),
            HttpStatusCode.Conflict => new ConflictException(detail),
            _ => new InvalidInputException($"the server answered {(int)status}: {detail}"),
        };
    }
}
