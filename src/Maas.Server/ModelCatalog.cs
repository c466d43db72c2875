using System.Collections.Concurrent;
using Maas.Core;
using Maas.Core.Errors;
using Maas.Core.Models;
using Maas.Inference;
using Maas.Storage;

namespace Maas.Server;

/// <summary>
/// The models this server answers for: every registered version, loaded once and kept. References are resolved
/// against the registry on each request, so a version registered or an alias moved while the server runs is seen
/// at once.
/// </summary>
public sealed class ModelCatalog(IModelRegistry registry, IInputObserver? observer = null) : IDisposable
{
    private readonly ConcurrentDictionary<(string Model, int Version), Lazy<LoadedModel>> _loaded = new();
    private readonly ConcurrentDictionary<string, string> _failed = new();

    /// <summary>Whether every version registered at start-up has loaded.</summary>
    public bool IsReady { get; private set; }

    /// <summary>Versions loaded so far.</summary>
    public IReadOnlyList<ModelVersion> Loaded => _loaded.Values.Where(l => l.IsValueCreated).Select(l => l.Value.Version).ToList();

    /// <summary>Loads every registered version; called once at start-up before the server reports ready.</summary>
    public async Task LoadAllAsync(CancellationToken cancellationToken)
    {
        foreach (var version in await registry.ListVersionsAsync(cancellationToken))
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                _ = Get(version);
            }
            catch (UnavailableException)
            {
                // One broken version must not keep the others from serving; requests for it get the reason.
            }
        }

        IsReady = true;
    }

    /// <summary>The loaded model <paramref name="reference"/> names (loading it when new).</summary>
    /// <exception cref="Maas.Core.Errors.NotFoundException">No such model, version or alias.</exception>
    public async Task<LoadedModel> ResolveAsync(VersionedName reference, CancellationToken cancellationToken)
    {
        var version = await registry.ResolveAsync(reference, cancellationToken);
        return Get(version);
    }

    /// <summary>Versions that could not be loaded, with the reason.</summary>
    public IReadOnlyDictionary<string, string> Failed => _failed;

    private LoadedModel Get(ModelVersion version)
    {
        // Lazy caches a failure too, so a broken version is not reloaded on every request.
        var lazy = _loaded.GetOrAdd((version.Model, version.Version),
            _ => new Lazy<LoadedModel>(() => new LoadedModel(version, registry.ArtifactPath(version), observer)));
        try
        {
            return lazy.Value;
        }
        catch (Exception e) when (e is InvalidInputException or IOException)
        {
            _failed[version.Reference] = e.Message;
            throw new UnavailableException($"{version.Reference} cannot be served: {e.Message}", e);
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var model in _loaded.Values.Where(l => l.IsValueCreated))
        {
            model.Value.Dispose();
        }
    }
}
