namespace Maas.Core.Errors;

/// <summary>A deployment's request queue is full: the client should retry after <see cref="RetryAfter"/>.</summary>
public sealed class OverloadedException(string message, TimeSpan retryAfter) : MaasException(message)
{
    /// <summary>How long the client should wait before trying again; sent as the <c>Retry-After</c> header.</summary>
    public TimeSpan RetryAfter { get; } = retryAfter;

    /// <inheritdoc />
    public override int ExitCode => ExitCodes.Unavailable;

    /// <inheritdoc />
    public override int HttpStatus => 503;

    /// <inheritdoc />
    public override string Title => "Service unavailable";
}
