using Microsoft.Extensions.Logging;

namespace Maas.Server.Tests;

/// <summary>One log entry as the server wrote it: its category, event and structured fields.</summary>
public sealed record CapturedLogEntry(string Category, LogLevel Level, EventId EventId, string Message, IReadOnlyDictionary<string, object?> Fields);
