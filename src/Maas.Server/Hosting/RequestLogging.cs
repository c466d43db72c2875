using System.Diagnostics;
using Maas.Server.Metrics;
using Maas.Server.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Maas.Server.Hosting;

/// <summary>Writes one structured log entry per request: method, path, status, duration, model, version, images and key id.</summary>
public static class RequestLogging
{
    private const string ImagesItem = "maas.images";

    /// <summary>
    /// Adds the middleware that logs each request once it is answered; it must run outside the error mapping, which
    /// sets the status of failed requests.
    /// </summary>
    public static IApplicationBuilder UseRequestLogging(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var logger = app.ApplicationServices.GetRequiredService<ILoggerFactory>().CreateLogger(ServerLog.RequestCategory);
        return app.Use(async (context, next) =>
        {
            var started = Stopwatch.GetTimestamp();
            var failed = false;
            try
            {
                await next(context);
            }
            catch
            {
                failed = true;
                throw;
            }
            finally
            {
                if (logger.IsEnabled(LogLevel.Information))
                {
                    var (model, version) = context.PredictionTarget();
                    // An exception that escaped every handler becomes a 500 after this middleware has returned.
                    var status = failed && !context.Response.HasStarted ? StatusCodes.Status500InternalServerError : context.Response.StatusCode;
                    ServerLog.RequestCompleted(logger, context.Request.Method, context.Request.Path.Value ?? "", status,
                        Math.Round(Stopwatch.GetElapsedTime(started).TotalMilliseconds, 3), model, version,
                        context.Items[ImagesItem] as int? ?? 0, context.Key()?.Id);
                }
            }
        });
    }

    /// <summary>Records how many images the request classifies, for its log entry.</summary>
    public static void TagImages(this HttpContext context, int count)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Items[ImagesItem] = count;
    }
}
