using Maas.Core.Models;
using Maas.Inference;

namespace Maas.Server.Metrics;

/// <summary>Hands each batch event to two observers in turn: the server's metrics, then one given at start-up.</summary>
internal sealed class BatchObserverPair(IBatchObserver first, IBatchObserver second) : IBatchObserver
{
    /// <inheritdoc />
    public void OnBatch(ModelVersion version, BatchRun run)
    {
        first.OnBatch(version, run);
        second.OnBatch(version, run);
    }

    /// <inheritdoc />
    public void OnRejected(ModelVersion version)
    {
        first.OnRejected(version);
        second.OnRejected(version);
    }
}
