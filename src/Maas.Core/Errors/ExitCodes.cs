namespace Maas.Core.Errors;

/// <summary>The CLI's exit codes, one per kind of failure, stable across releases.</summary>
public static class ExitCodes
{
    /// <summary>The command did what was asked.</summary>
    public const int Success = 0;

    /// <summary>An unexpected internal failure.</summary>
    public const int InternalError = 1;

    /// <summary>The command line itself was malformed (unknown option, missing argument).</summary>
    public const int Usage = 2;

    /// <summary>A named thing (file, dataset, model, version) does not exist.</summary>
    public const int NotFound = 3;

    /// <summary>An input exists but is not acceptable (bad format, bad value).</summary>
    public const int InvalidInput = 4;

    /// <summary>The request conflicts with what is stored (name taken, still in use).</summary>
    public const int Conflict = 5;

    /// <summary>A service Maas depends on could not be reached or is not ready.</summary>
    public const int Unavailable = 6;

    /// <summary>A file or upload is not an image Maas can decode.</summary>
    public const int UnsupportedImage = 7;

    /// <summary>A server refused the API key: missing, unknown, revoked, or of the wrong scope.</summary>
    public const int Denied = 8;

    /// <summary><c>maas doctor</c> found damaged objects in the home (it names each one).</summary>
    public const int Damaged = 9;

    /// <summary>The user cancelled the command (Ctrl+C); nothing half-written was kept.</summary>
    public const int Cancelled = 130;
}
