namespace Maas.Storage.Locking;

/// <summary>How a process holds the home lock.</summary>
public enum HomeLockMode
{
    /// <summary>Reads and adds (import, train, serve, analyze): any number of processes at once.</summary>
    Shared,

    /// <summary>Deletes what others may be reading or about to reuse (dataset removal, compaction, gc): one process, alone.</summary>
    Exclusive,
}
