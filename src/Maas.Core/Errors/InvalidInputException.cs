namespace Maas.Core.Errors;

/// <summary>An input exists but is not acceptable: a malformed reference, a bad option value, a broken file.</summary>
public class InvalidInputException(string message, Exception? inner = null) : MaasException(message, inner)
{
    /// <inheritdoc />
    public override int ExitCode => ExitCodes.InvalidInput;

    /// <inheritdoc />
    public override int HttpStatus => 400;

    /// <inheritdoc />
    public override string Title => "Invalid input";
}
