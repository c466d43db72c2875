namespace Maas.Core.Errors;

/// <summary>A named thing (file, dataset, model, version, alias) does not exist.</summary>
public sealed class NotFoundException(string message) : MaasException(message)
{
    /// <inheritdoc />
    public override int ExitCode => ExitCodes.NotFound;

    /// <inheritdoc />
    public override int HttpStatus => 404;

    /// <inheritdoc />
    public override string Title => "Not found";
}
