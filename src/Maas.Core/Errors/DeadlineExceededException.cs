namespace Maas.Core.Errors;

/// <summary>A request waited and ran longer than the deployment's request timeout allows.</summary>
public sealed class DeadlineExceededException(string message) : MaasException(message)
{
    /// <inheritdoc />
    public override int ExitCode => ExitCodes.Unavailable;

    /// <inheritdoc />
    public override int HttpStatus => 504;

    /// <inheritdoc />
    public override string Title => "Gateway timeout";
}
