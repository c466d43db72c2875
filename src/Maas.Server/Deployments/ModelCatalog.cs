using System.Collections.Concurrent;
using Maas.Core;
using Maas.Core.Errors;
using Maas.Core.Models;
using Maas.Inference;
using Maas.Storage;
using Maas.Workflows.Models;

namespace Maas.Server.Deployments;

/// <summary>
/// The models this server answers for. Each model name has one deployment: a selector (its production alias by
/// default, another alias, or a version number) and the loaded, warmed-up session it resolves to. Selectors are
/// resolved against the registry on each request, so an alias moved anywhere is followed at once: the new version
/// is loaded and warmed before it is swapped in, requests already running finish on the old session, and that
/// session is disposed when the last of them ends. A model registered while the server runs is deployed on its
/// first request; an explicit version other than the deployed one is loaded beside it. Each deployment batches its
/// requests (<see cref="BatchScheduler"/>) and may send a share of them to a canary version.
/// </summary>
/// <param name="registry">Where versions and aliases are resolved.</param>
/// <param name="observer">Sees each preprocessed tensor.</param>
/// <param name="batching">How deployments batch unless told otherwise. The default is <see cref="BatchingOptions.Default"/>.</param>
/// <param name="batchObserver">Sees each batch run and each refusal (the server's metrics).</param>
public sealed class ModelCatalog(IModelRegistry registry, IInputObserver? observer = null, BatchingOptions? batching = null, IBatchObserver? batchObserver = null)
    : IDisposable
{
    private readonly BatchingOptions _batching = (batching ?? BatchingOptions.Default).Validate();
    private readonly Lock _gate = new();
    private readonly Dictionary<string, DeploymentSlot> _slots = new(StringComparer.Ordinal);
    private readonly HashSet<string> _undeployed = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string Model, int Version), Lazy<ServingSession>> _pinned = new();
    private readonly ConcurrentDictionary<string, string> _failed = new();

    /// <summary>Whether the models registered at start-up have been deployed (or failed to).</summary>
    public bool IsReady { get; private set; }

    /// <summary>Versions loaded and not yet disposed.</summary>
    public IReadOnlyList<ModelVersion> Loaded => LoadedModels.Select(m => m.Version).ToList();

    /// <summary>The loaded models themselves (one per version), for gauges such as queue depth.</summary>
    public IReadOnlyList<LoadedModel> LoadedModels
    {
        get
        {
            lock (_gate)
            {
                return _slots.Values.SelectMany(s => new[] { s.Current, s.Canary }).OfType<ServingSession>()
                    .Concat(_pinned.Values.Where(l => l.IsValueCreated).Select(l => l.Value))
                    .Where(s => !s.IsDisposed).Select(s => s.Model).DistinctBy(m => m.Version.Reference).ToList();
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
    public Task<Deployment> DeployAsync(VersionedName selector, CancellationToken cancellationToken) =>
        DeployAsync(selector, null, null, cancellationToken);

    /// <summary>
    /// Loads and warms up what <paramref name="selector"/> names (and the <paramref name="canary"/> version, when
    /// given), batching as <paramref name="batching"/> says, then makes it what its model name serves.
    /// </summary>
    /// <exception cref="NotFoundException">No such model, version or alias.</exception>
    /// <exception cref="InvalidInputException">The batching settings or the canary percentage are out of range.</exception>
    /// <exception cref="UnavailableException">The version cannot be loaded; an earlier deployment keeps serving.</exception>
    public async Task<Deployment> DeployAsync(VersionedName selector, BatchingOptions? batching, CanarySplit? canary, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(selector);
        if (canary is { Percent: < 0 or > 100 })
        {
            throw new InvalidInputException($"canary percent: {canary.Percent} is out of range; use 0 to 100.");
        }

        var version = await registry.ResolveAsync(selector, cancellationToken);
        var canaryVersion = canary is null ? null : await registry.ResolveAsync(new VersionedName(selector.Name, canary.Version, null), cancellationToken);
        var slot = new DeploymentSlot(selector, (batching ?? _batching).Validate());
        try
        {
            await SwitchAsync(slot, version, cancellationToken);
            if (canaryVersion is not null)
            {
                var fresh = await Task.Run(() => Load(canaryVersion, slot.Batching), cancellationToken);
                slot.SwapCanary(fresh, canary!.Percent)?.Retire();
            }
        }
        catch (UnavailableException)
        {
            if (slot.Current is not null)
            {
                // The canary failed: deploy both or neither, so the old deployment keeps serving as it was.
                Retire(slot.Clear());
                throw;
            }

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

        Retire(replaced?.Clear());
        return slot.Describe();
    }

    /// <summary>
    /// Serves <paramref name="model"/> with <paramref name="instances"/> ONNX Runtime sessions: new sessions are loaded
    /// and warmed, then swapped in; batches already queued or running finish on the old ones.
    /// </summary>
    /// <exception cref="NotFoundException">The model is not deployed here.</exception>
    /// <exception cref="InvalidInputException"><paramref name="instances"/> is out of range.</exception>
    public async Task<Deployment> ScaleAsync(string model, int instances, CancellationToken cancellationToken)
    {
        DeploymentSlot? slot;
        lock (_gate)
        {
            _slots.TryGetValue(model, out slot);
        }

        if (slot is null)
        {
            throw new NotFoundException($"model '{model}' is not deployed on this server; deploy it first (maas deploy {model}).");
        }

        var batching = (slot.Batching with { Instances = instances }).Validate();
        await slot.Switch.WaitAsync(cancellationToken);
        try
        {
            slot.Batching = batching;
            if (slot.Current is { } current)
            {
                var fresh = await Task.Run(() => Load(current.Model.Version, batching), cancellationToken);
                slot.Swap(fresh)?.Retire();
            }

            if (slot.Canary is { } canary)
            {
                var fresh = await Task.Run(() => Load(canary.Model.Version, batching), cancellationToken);
                slot.SwapCanary(fresh, slot.Describe().CanaryPercent ?? 0)?.Retire();
            }
        }
        finally
        {
            slot.Switch.Release();
        }

        return slot.Describe();
    }

    private static void Retire(IReadOnlyList<ServingSession>? sessions)
    {
        foreach (var session in sessions ?? [])
        {
            session.Retire();
        }
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
        Retire(slot.Clear());
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
            if (viaSelector && slot.NextGoesToCanary() && slot.Canary is { } canary && canary.TryAcquire())
            {
                return new ModelLease(canary);
            }

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

            created = new DeploymentSlot(plain, _batching);
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
                fresh = await Task.Run(() => Load(version, slot.Batching), cancellationToken);
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
            var lazy = _pinned.GetOrAdd((version.Model, version.Version), _ => new Lazy<ServingSession>(() => Load(version, _batching)));
            var session = lazy.Value;
            if (session.TryAcquire())
            {
                return new ModelLease(session);
            }

            _pinned.TryRemove(new KeyValuePair<(string, int), Lazy<ServingSession>>((version.Model, version.Version), lazy));
        }
    }

    private ServingSession Load(ModelVersion version, BatchingOptions options)
    {
        LoadedModel? model = null;
        try
        {
            // Verified before it is loaded: a damaged or half-copied version is refused with the file and the problem named.
            var bundle = ModelBundle.Open(registry.ArtifactPath(version));
            bundle.Verify();
            model = new LoadedModel(version, bundle.ReadPipeline(), bundle.OnnxPath, observer, options, batchObserver);
            model.WarmUp();
            _failed.TryRemove(version.Reference, out _);
            return new ServingSession(model);
        }
        catch (Exception e) when (e is InvalidInputException or NotFoundException or IOException or Microsoft.ML.OnnxRuntime.OnnxRuntimeException)
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
            sessions = _slots.Values.SelectMany(s => s.Clear()).ToList();
            _slots.Clear();
        }

        sessions.AddRange(_pinned.Values.Where(l => l.IsValueCreated).Select(l => l.Value));
        foreach (var session in sessions)
        {
            session.Retire();
        }
    }
}
