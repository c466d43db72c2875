
namespace Maas.Server.Hosting;

/// <summary>How the server writes its log to the console.</summary>
public enum ServerLogFormat
{
    /// <summary>One human-readable line per entry.</summary>
    Text,

    /// <summary>One JSON object per line, with every field of the entry, for log collectors.</summary>
    Json,
}
