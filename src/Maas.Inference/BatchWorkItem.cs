using System.Diagnostics;

namespace Maas.Inference;

/// <summary>One request's tensors waiting in a <see cref="BatchScheduler"/> queue.</summary>
internal sealed class BatchWorkItem(float[] inputs, int count)
{
    private const int Queued = 0;
    private const int Started = 1;
    private const int Abandoned = 2;

    private int _state;

    public float[] Inputs { get; } = inputs;

    public int Count { get; } = count;

    public long EnqueuedAt { get; } = Stopwatch.GetTimestamp();

    // Continuations run elsewhere, so a worker never runs request code between batches.
    public TaskCompletionSource<float[]> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Claims the item for a batch; false when its request already gave up.</summary>
    public bool TryStart() => Interlocked.CompareExchange(ref _state, Started, Queued) == Queued;

    /// <summary>Withdraws the item from the queue; false when a batch already took it.</summary>
    public bool TryAbandon() => Interlocked.CompareExchange(ref _state, Abandoned, Queued) == Queued;
}
