using Maas.Core.Models;

namespace Maas.Inference;

/// <summary>Sees what a deployment's batching scheduler does: the hook for metrics.</summary>
public interface IBatchObserver
{
    /// <summary>Called after each run, on the worker that ran it; keep it quick.</summary>
    void OnBatch(ModelVersion version, BatchRun run);

    /// <summary>Called when a request is refused because the queue is full.</summary>
    void OnRejected(ModelVersion version);
}
