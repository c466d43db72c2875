namespace Maas.Core.Errors;

/// <summary>The request carries no API key, or one that is unknown or revoked.</summary>
public sealed class UnauthorizedException(string message) : MaasException(message)
{
    /// <inheritdoc />
    public override int ExitCode => ExitCodes.Denied;

    /// <inheritdoc />
    public override int HttpStatus => 401;

    /// <inheritdoc />
    public override string Title => "Unauthorized";
}
