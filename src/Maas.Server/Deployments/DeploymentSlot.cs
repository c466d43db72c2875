using Maas.Core;
using Maas.Core.Models;
using Maas.Inference;

namespace Maas.Server.Deployments;

/// <summary>
/// What one model name serves: a selector (alias or version), the session it currently resolves to, how its requests
/// are batched, and optionally a canary session that answers a share of them.
/// </summary>
internal sealed class DeploymentSlot(VersionedName selector, BatchingOptions batching)
{
    private ServingSession? _current;
    private ServingSession? _canary;
    private int _canaryPercent;
    private long _requests;
    private int _generation;

    /// <summary>What was asked for.</summary>
    public VersionedName Selector { get; } = selector;

    /// <summary>How the deployment's sessions batch; changed by scaling.</summary>
    public BatchingOptions Batching { get; set; } = batching;

    /// <summary>The session serving now, or null before the first load.</summary>
    public ServingSession? Current => Volatile.Read(ref _current);

    /// <summary>The canary session, or null without one.</summary>
    public ServingSession? Canary => Volatile.Read(ref _canary);

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

    /// <summary>
    /// Whether this request goes to the canary. A counter rather than a random draw: every run of 100 requests
    /// sends exactly the set percentage, so tests and operators see the split they asked for.
    /// </summary>
    public bool NextGoesToCanary()
    {
        var percent = Volatile.Read(ref _canaryPercent);
        return percent > 0 && Canary is not null && (Interlocked.Increment(ref _requests) - 1) % 100 < percent;
    }

    /// <summary>Installs <paramref name="session"/> and returns the one it replaces.</summary>
    public ServingSession? Swap(ServingSession session)
    {
        var old = Interlocked.Exchange(ref _current, session);
        Interlocked.Increment(ref _generation);
        Failure = null;
        return old;
    }

    /// <summary>Installs (or, with null, removes) the canary and returns the one it replaces.</summary>
    public ServingSession? SwapCanary(ServingSession? session, int percent)
    {
        Volatile.Write(ref _canaryPercent, percent);
        return Interlocked.Exchange(ref _canary, session);
    }

    /// <summary>Takes the sessions out, for undeploying or replacing the slot.</summary>
    public IReadOnlyList<ServingSession> Clear()
    {
        Removed = true;
        Interlocked.Increment(ref _generation);
        return new[] { Interlocked.Exchange(ref _current, null), SwapCanary(null, 0) }.OfType<ServingSession>().ToList();
    }

    /// <summary>How the deployment reports itself.</summary>
    public Deployment Describe()
    {
        var current = Current;
        var canary = Canary;
        return new Deployment(Selector.Name, Selector.ToString(), Alias, current?.Model.Version.Version ?? Failure?.Version,
            current is not null && !current.IsDisposed, current is null ? Failure?.Message : null,
            Batching.Instances, Batching.MaxBatchSize, canary?.Model.Version.Version, canary is null ? null : Volatile.Read(ref _canaryPercent));
    }
}
