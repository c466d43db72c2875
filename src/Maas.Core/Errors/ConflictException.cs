namespace Maas.Core.Errors;

/// <summary>The request conflicts with what is stored, such as a name already taken.</summary>
public sealed class ConflictException(string message) : MaasException(message)
{
    /// <inheritdoc />
    public override int ExitCode => ExitCodes.Conflict;

    /// <inheritdoc />
    public override int HttpStatus => 409;

    /// <inheritdoc />
    public override string Title => "Conflict";
}
