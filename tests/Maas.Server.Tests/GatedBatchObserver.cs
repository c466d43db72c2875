using System.Collections.Concurrent;
using Maas.Core.Models;
using Maas.Inference;

namespace Maas.Server.Tests;

/// <summary>
/// Holds a batching worker of one model after its run, while the gate is closed, so a test decides what queues up
/// behind it; records every run.
/// </summary>
public sealed class GatedBatchObserver(string model) : IBatchObserver, IDisposable
{
    private readonly ManualResetEventSlim _gate = new(true);

    public ConcurrentQueue<BatchRun> Runs { get; } = new();

    /// <summary>Released each time a worker stops at the closed gate.</summary>
    public SemaphoreSlim Held { get; } = new(0);

    /// <summary>
    /// Released each time a worker is done with a run of the model, gate included. The scheduler answers a request
    /// before its observer sees the run, so a client's answer alone does not mean the run is recorded yet.
    /// </summary>
    public SemaphoreSlim Done { get; } = new(0);

    public int Rejected;

    public void Close() => _gate.Reset();

    public void Open() => _gate.Set();

    public void OnBatch(ModelVersion version, BatchRun run)
    {
        if (version.Model != model)
        {
            return;
        }

        Runs.Enqueue(run);
        if (!_gate.IsSet)
        {
            Held.Release();
            _gate.Wait(TimeSpan.FromMinutes(1));
        }

        Done.Release();
    }

    public void OnRejected(ModelVersion version)
    {
        if (version.Model == model)
        {
            Interlocked.Increment(ref Rejected);
        }
    }

    public void Dispose()
    {
        _gate.Dispose();
        Held.Dispose();
        Done.Dispose();
    }
}
