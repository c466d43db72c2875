using Maas.Core;
using Maas.Core.Models;

namespace Maas.Server;

/// <summary>What one model name serves: a selector (alias or version) and the session it currently resolves to.</summary>
internal sealed class DeploymentSlot(VersionedName selector)
{
    private ServingSession? _current;
    private int _generation;

    /// <summary>What was asked for.</summary>
    public VersionedName Selector { get; } = selector;

    /// <summary>The session serving now, or null before the first load.</summary>
    public ServingSession? Current => Volatile.Read(ref _current);

    /// <summary>Bumped on every swap, so a request that resolved before a swap does not swap back.</summary>
    public int Generation => Volatile.Read(ref _generation);

    /// <summary>Why the last load failed, and which version it was.</summary>
    public (int Version, string Message)? Failure { get; set; }

    /// <summary>Set once the slot is replaced or undeployed.</summary>
    public bool Removed { get; set; }

    /// <summary>Serializes loads and swaps.</summary>
    public SemaphoreSlim Switch { get; } = new(1, 1);

    /// <summary>The alias this follows, or null when pinned to a version number.</summary>
    public string? Alias => Selector.Version is null ? Selector.Alias ?? WellKnownAliases.Production : null;

    /// <summary>Whether a request naming <paramref name="reference"/> goes through this slot's selector.</summary>
    public bool Serves(VersionedName reference) =>
        reference.Version is null && (reference.Alias is null || reference.Alias == Alias);

    /// <summary>Installs <paramref name="session"/> and returns the one it replaces.</summary>
    public ServingSession? Swap(ServingSession session)
    {
        var old = Interlocked.Exchange(ref _current, session);
        Interlocked.Increment(ref _generation);
        Failure = null;
        return old;
    }

    /// <summary>Takes the session out, for undeploying.</summary>
    public ServingSession? Clear()
    {
        Removed = true;
        Interlocked.Increment(ref _generation);
        return Interlocked.Exchange(ref _current, null);
    }

    /// <summary>How the deployment reports itself.</summary>
    public Deployment Describe()
    {
        var current = Current;
        return new Deployment(Selector.Name, Selector.ToString(), Alias, current?.Model.Version.Version ?? Failure?.Version,
            current is not null && !current.IsDisposed, current is null ? Failure?.Message : null);
    }
}
