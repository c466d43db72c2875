using System.Collections.Concurrent;
using Maas.Core;
using Maas.Core.Errors;
using Maas.Core.Models;
using Maas.Inference;
using Maas.Storage;

namespace Maas.Server;

/// <summary>
/// The models this server answers for. Each model name has one deployment: a selector (its production alias by
/// default, another alias, or a version number) and the loaded, warmed-up session it resolves to. Selectors are
/// resolved against the registry on each request, so an alias moved anywhere is followed at once: the new version
/// is loaded and warmed before it is swapped in, requests already running finish on the old session, and that
/// session is disposed when the last of them ends. A model registered while the server runs is deployed on its
/// first request; an explicit version other than the deployed one is loaded beside it.
/// </summary>
public sealed class ModelCatalog(IModelRegistry registry, IInputObserver? observer = null) : IDisposable
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, DeploymentSlot> _slots = new(StringComparer.Ordinal);
    private readonly HashSet<string> _undeployed = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string Model, int Version), Lazy<ServingSession>> _pinned = new();
    private readonly ConcurrentDictionary<string, string> _failed = new();

    /// <summary>Whether the models registered at start-up have been deployed (or failed to).</summary>
    public bool IsReady { get; private set; }

    /// <summary>Versions loaded and not yet disposed.</summary>
    public IReadOnlyList<ModelVersion> Loaded
    {
        get
        {
            lock (_gate)
            {
                return _slots.Values.Select(s => s.Current).OfType<ServingSession>()
                    .Concat(_pinned.Values.Where(l => l.IsValueCreated).Select(l => l.Value))
                    .Where(s => !s.IsDisposed).Select(s => s.Model.Version).DistinctBy(v => v.Reference).ToList();
            }
        }
    }

    /// <summary>Versions that could not be loaded, with the reason.</summary>
    public IReadOnlyDictionary<string, string> Failed => _failed;

    /// <summary>Every deployment, by model name.</summary>
    public IReadOnlyList<Deployment> Deployments
    {
        get
        {
            lock (_gate)
            {
                return _slots.Values.Select(s => s.Describe()).OrderBy(d => d.Model, StringComparer.Ordinal).ToList();
            }
        }
    }

    /// <summary>Deploys every registered model (its production alias, else its latest version); called once at start-up.</summary>
    public async Task LoadAllAsync(CancellationToken cancellationToken)
    {
        foreach (var model in (await registry.ListVersionsAsync(cancellationToken)).Select(v => v.Model).Distinct(StringComparer.Ordinal))
        {
            try
            {
                await DeployAsync(new VersionedName(model, null, null), cancellationToken);
            }
            catch (UnavailableException)
            {
                // One broken model must not keep the others from serving; requests for it get the reason.
            }
        }

        IsReady = true;
    }

    /// <summary>
    /// Loads and warms up what <paramref name="selector"/> names, then makes it what its model name serves,
    /// replacing (and retiring) any earlier deployment of that model.
    /// </summary>
    /// <exception cref="NotFoundException">No such model, version or alias.</exception>
    /// <exception cref="UnavailableException">The version cannot be loaded; an earlier deployment keeps serving.</exception>
    public async Task<Deployment> DeployAsync(VersionedName selector, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(selector);
        var version = await registry.ResolveAsync(selector, cancellationToken);
        var slot = new DeploymentSlot(selector);
        try
        {
            await SwitchAsync(slot, version, cancellationToken);
        }
        catch (UnavailableException)
        {
            lock (_gate)
            {
                // Recorded only where nothing serves yet, so a failed redeploy leaves the working one in place.
                if (!_slots.ContainsKey(selector.Name))
                {
                    _slots[selector.Name] = slot;
                }
            }

            throw;
        }

        DeploymentSlot? replaced;
        lock (_gate)
        {
            _slots.TryGetValue(selector.Name, out replaced);
            _slots[selector.Name] = slot;
            _undeployed.Remove(selector.Name);
        }

        replaced?.Clear()?.Retire();
        return slot.Describe();
    }

    /// <summary>Stops serving <paramref name="model"/>: its sessions are disposed once their requests end.</summary>
    /// <exception cref="NotFoundException">The model is not deployed here.</exception>
    public Deployment Undeploy(string model)
    {
        DeploymentSlot? slot;
        lock (_gate)
        {
            if (!_slots.Remove(model, out slot))
            {
                throw new NotFoundException($"model '{model}' is not deployed on this server.");
            }

            _undeployed.Add(model);
        }

        var described = slot.Describe() with { Ready = false };
        slot.Clear()?.Retire();
        foreach (var key in _pinned.Keys.Where(k => k.Model == model).ToList())
        {
            if (_pinned.TryRemove(key, out var lazy) && lazy.IsValueCreated)
            {
                lazy.Value.Retire();
            }
        }

        return described;
    }

    /// <summary>
    /// Brings <paramref name="model"/>'s deployment up to date with the registry (after an alias move): the new
    /// version is loaded and warmed, then swapped in. Null when the model is not deployed here.
    /// </summary>
    public async Task<Deployment?> FollowAsync(string model, CancellationToken cancellationToken)
    {
        DeploymentSlot? slot;
        lock (_gate)
        {
            _slots.TryGetValue(model, out slot);
        }

        if (slot is null || slot.Selector.Version is not null)
        {
            return slot?.Describe();
        }

        var version = await registry.ResolveAsync(slot.Selector, cancellationToken);
        await SwitchAsync(slot, version, cancellationToken);
        return slot.Describe();
    }

    /// <summary>
    /// A hold on the loaded model <paramref name="reference"/> names; dispose it when done. The session stays alive
    /// until then even if an alias moves meanwhile.
    /// </summary>
    /// <exception cref="NotFoundException">No such model, version or alias, or the model was undeployed.</exception>
    /// <exception cref="UnavailableException">The version cannot be loaded.</exception>
    public async Task<ModelLease> AcquireAsync(VersionedName reference, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reference);
        while (true)
        {
            var slot = await SlotAsync(reference.Name, cancellationToken);
            var generation = slot.Generation;
            var viaSelector = slot.Serves(reference);
            var version = await registry.ResolveAsync(viaSelector ? slot.Selector : reference, cancellationToken);
            if (slot.Current is { } current && current.Model.Version.Version == version.Version && current.TryAcquire())
            {
                return new ModelLease(current);
            }

            if (!viaSelector)
            {
                return AcquirePinned(version);
            }

            if (slot.Removed)
            {
                continue;
            }

            if (slot.Generation == generation)
            {
                await SwitchAsync(slot, version, cancellationToken);
            }

            // A swap happened since this request resolved (or just now): serve what is current; a request that
            // began before an alias move may finish on either version, never on none.
            if (slot.Current is { } swapped && swapped.TryAcquire())
            {
                return new ModelLease(swapped);
            }
        }
    }

    private async Task<DeploymentSlot> SlotAsync(string model, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_slots.TryGetValue(model, out var slot))
            {
                return slot;
            }

            if (_undeployed.Contains(model))
            {
                throw new NotFoundException($"model '{model}' is not deployed on this server; deploy it with 'maas deploy {model}' (POST /v1/deployments).");
            }
        }

        // Registered while the server runs: deploy it now. Resolving first turns an unknown name into a 404.
        var plain = new VersionedName(model, null, null);
        var version = await registry.ResolveAsync(plain, cancellationToken);
        DeploymentSlot created;
        lock (_gate)
        {
            if (_slots.TryGetValue(model, out var raced))
            {
                return raced;
            }

            created = new DeploymentSlot(plain);
            _slots[model] = created;
        }

        await SwitchAsync(created, version, cancellationToken);
        return created;
    }

    private async Task SwitchAsync(DeploymentSlot slot, ModelVersion version, CancellationToken cancellationToken)
    {
        await slot.Switch.WaitAsync(cancellationToken);
        try
        {
            if (slot.Current?.Model.Version.Version == version.Version)
            {
                return;
            }

            if (slot.Failure is { } failure && failure.Version == version.Version)
            {
                throw new UnavailableException(failure.Message);
            }

            ServingSession fresh;
            try
            {
                fresh = await Task.Run(() => Load(version), cancellationToken);
            }
            catch (UnavailableException e)
            {
                slot.Failure = (version.Version, e.Message);
                throw;
            }

            slot.Swap(fresh)?.Retire();
        }
        finally
        {
            slot.Switch.Release();
        }
    }

    private ModelLease AcquirePinned(ModelVersion version)
    {
        while (true)
        {
            // Lazy caches a failure too, so a broken version is not reloaded on every request.
            var lazy = _pinned.GetOrAdd((version.Model, version.Version), _ => new Lazy<ServingSession>(() => Load(version)));
            var session = lazy.Value;
            if (session.TryAcquire())
            {
                return new ModelLease(session);
            }

            _pinned.TryRemove(new KeyValuePair<(string, int), Lazy<ServingSession>>((version.Model, version.Version), lazy));
        }
    }

    private ServingSession Load(ModelVersion version)
    {
        LoadedModel? model = null;
        try
        {
            model = new LoadedModel(version, registry.ArtifactPath(version), observer);
            model.WarmUp();
            _failed.TryRemove(version.Reference, out _);
            return new ServingSession(model);
        }
        catch (Exception e) when (e is InvalidInputException or IOException or Microsoft.ML.OnnxRuntime.OnnxRuntimeException)
        {
            model?.Dispose();
            _failed[version.Reference] = e.Message;
            throw new UnavailableException($"{version.Reference} cannot be served: {e.Message}", e);
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        List<ServingSession> sessions;
        lock (_gate)
        {
            sessions = _slots.Values.Select(s => s.Clear()).OfType<ServingSession>().ToList();
            _slots.Clear();
        }

        sessions.AddRange(_pinned.Values.Where(l => l.IsValueCreated).Select(l => l.Value));
        foreach (var session in sessions)
        {
            session.Retire();
        }
    }
}
