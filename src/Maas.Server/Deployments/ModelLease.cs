using Maas.Inference;

namespace Maas.Server.Deployments;

/// <summary>A request's hold on a <see cref="ServingSession"/>: dispose it when the request is done with the model.</summary>
public sealed class ModelLease : IDisposable
{
    private ServingSession? _session;

    internal ModelLease(ServingSession session)
    {
        _session = session;
        Model = session.Model;
    }

    /// <summary>The model to run.</summary>
    public LoadedModel Model { get; }

    /// <inheritdoc />
    public void Dispose() => Interlocked.Exchange(ref _session, null)?.Release();
}
