namespace Maas.Core.Errors;

/// <summary>The API key is valid but its scope does not allow the request.</summary>
public sealed class ForbiddenException(string message) : MaasException(message)
{
    /// <inheritdoc />
    public override int ExitCode => ExitCodes.Denied;

    /// <inheritdoc />
    public override int HttpStatus => 403;

    /// <inheritdoc />
    public override string Title => "Forbidden";
}
