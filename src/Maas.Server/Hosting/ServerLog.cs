using Microsoft.Extensions.Logging;

namespace Maas.Server.Hosting;

/// <summary>
/// The server's log messages, source-generated so nothing is formatted or boxed for a disabled level. Event ids are
/// stable: log queries and alerts may key on them.
/// </summary>
public static partial class ServerLog
{
    /// <summary>The category of the per-request entries; it logs at Information while the rest of the server logs warnings only.</summary>
    public const string RequestCategory = "Maas.Server.Requests";

    /// <summary>One entry per HTTP request, written once its response status is known.</summary>
    /// <param name="logger">The request logger.</param>
    /// <param name="method">The HTTP method.</param>
    /// <param name="path">The request path.</param>
    /// <param name="status">The response status code.</param>
    /// <param name="durationMs">Milliseconds from the request's arrival to its answer.</param>
    /// <param name="model">The model a prediction asked for, or null for other routes.</param>
    /// <param name="version">The version that answered a prediction, or null when none did.</param>
    /// <param name="images">Images classified (0 for other routes).</param>
    /// <param name="keyId">The id of the API key that authenticated the request, or null when none did.</param>
    [LoggerMessage(EventId = 1000, EventName = "RequestCompleted", Level = LogLevel.Information,
        Message = "{Method} {Path} {Status} {DurationMs} ms model={Model} version={Version} images={Images} key={KeyId}")]
    public static partial void RequestCompleted(ILogger logger, string method, string path, int status, double durationMs, string? model, int? version,
        int images, string? keyId);
}
