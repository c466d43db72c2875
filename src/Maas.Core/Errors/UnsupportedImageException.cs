namespace Maas.Core.Errors;

/// <summary>A file or upload is empty, not an image, of a format Maas cannot decode, or too large to decode.</summary>
public sealed class UnsupportedImageException(string message, Exception? inner = null) : InvalidInputException(message, inner)
{
    /// <inheritdoc />
    public override int ExitCode => ExitCodes.UnsupportedImage;

    /// <inheritdoc />
    public override int HttpStatus => 415;

    /// <inheritdoc />
    public override string Title => "Unsupported image";
}
