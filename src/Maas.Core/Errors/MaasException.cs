namespace Maas.Core.Errors;

/// <summary>
/// The root of every error Maas reports to a person or a client. Each kind carries the CLI exit code and the
/// HTTP status it maps to, so the CLI and the server translate errors the same way.
/// </summary>
public abstract class MaasException : Exception
{
    /// <summary>Creates an error with a message that names the input and the problem.</summary>
    protected MaasException(string message, Exception? inner = null) : base(message, inner) { }

    /// <summary>The process exit code the CLI returns for this error.</summary>
    public abstract int ExitCode { get; }

    /// <summary>The HTTP status code the server answers with for this error.</summary>
    public abstract int HttpStatus { get; }

    /// <summary>A short, stable title for RFC 9457 problem details (the same for every error of this kind).</summary>
    public abstract string Title { get; }
}
