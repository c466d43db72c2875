namespace Maas.Core.Errors;

/// <summary>A service Maas depends on (the inference server, a model still loading) cannot answer now.</summary>
public sealed class UnavailableException(string message, Exception? inner = null) : MaasException(message, inner)
{
    /// <inheritdoc />
    public override int ExitCode => ExitCodes.Unavailable;

    /// <inheritdoc />
    public override int HttpStatus => 503;

    /// <inheritdoc />
    public override string Title => "Service unavailable";
}
