namespace Maas.Storage.Locking;

/// <summary>Who holds the home lock: written beside it by each holder so that a refused process can name it.</summary>
/// <param name="ProcessId">The holder's process id.</param>
/// <param name="Mode">Shared or exclusive.</param>
/// <param name="Purpose">What the holder does, e.g. <c>removing dataset fashion@1</c>.</param>
/// <param name="CommandLine">The holder's command line, e.g. <c>maas dataset rm fashion@1</c>.</param>
/// <param name="Since">When it took the lock.</param>
public sealed record HomeLockHolder(int ProcessId, HomeLockMode Mode, string Purpose, string CommandLine, DateTimeOffset Since);
