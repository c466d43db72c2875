using System.Text.Json;
using Maas.Core.Errors;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Maas.Server.Hosting;

/// <summary>
/// Turns Maas errors into responses with the error's status code: RFC 9457 problem+json everywhere, except under
/// <c>/v2</c>, where the Open Inference Protocol's clients expect <c>{"error": "..."}</c>.
/// </summary>
public static class ProblemMapping
{
    /// <summary>Adds the middleware that answers <see cref="MaasException"/> and bad requests with problem details.</summary>
    public static IApplicationBuilder UseMaasProblems(this IApplicationBuilder app) =>
        app.Use(async (context, next) =>
        {
            try
            {
                await next(context);
            }
            catch (MaasException e) when (!context.Response.HasStarted)
            {
                if (e is UnauthorizedException)
                {
                    context.Response.Headers.WWWAuthenticate = "Bearer";
                }

                if (e is OverloadedException overloaded)
                {
                    context.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(overloaded.RetryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
                }

                await Problem(context, e.HttpStatus, e.Title, e.Message);
            }
            catch (BadHttpRequestException e) when (!context.Response.HasStarted)
            {
                await Problem(context, e.StatusCode, e.StatusCode == 413 ? "Payload too large" : "Bad request", e.Message);
            }
        });

    /// <summary>Answers bodiless error statuses (unknown routes, wrong methods) in the same two shapes.</summary>
    public static IApplicationBuilder UseMaasStatusCodes(this IApplicationBuilder app) =>
        app.UseStatusCodePages(context => context.HttpContext.Request.Path.StartsWithSegments("/v2")
            ? Error(context.HttpContext, context.HttpContext.Response.StatusCode, $"'{context.HttpContext.Request.Path}' is not an endpoint of the Open Inference Protocol for {context.HttpContext.Request.Method}.")
            : Results.Problem(statusCode: context.HttpContext.Response.StatusCode, instance: context.HttpContext.Request.Path).ExecuteAsync(context.HttpContext));

    private static Task Problem(HttpContext context, int status, string title, string detail) =>
        context.Request.Path.StartsWithSegments("/v2")
            ? Error(context, status, detail)
            : Results.Problem(detail: detail, statusCode: status, title: title, instance: context.Request.Path).ExecuteAsync(context);

    private static async Task Error(HttpContext context, int status, string message)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await using var writer = new Utf8JsonWriter(context.Response.Body);
        writer.WriteStartObject();
        writer.WriteString("error", message);
        writer.WriteEndObject();
    }
}
