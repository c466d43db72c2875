using Maas.Core.Errors;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Maas.Server;

/// <summary>Turns Maas errors into RFC 9457 problem+json responses with the error's status code.</summary>
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
                await Problem(context, e.HttpStatus, e.Title, e.Message);
            }
            catch (BadHttpRequestException e) when (!context.Response.HasStarted)
            {
                await Problem(context, e.StatusCode, e.StatusCode == 413 ? "Payload too large" : "Bad request", e.Message);
            }
        });

    private static Task Problem(HttpContext context, int status, string title, string detail) =>
        Results.Problem(detail: detail, statusCode: status, title: title, instance: context.Request.Path).ExecuteAsync(context);
}
