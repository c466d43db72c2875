using System.Diagnostics;
using System.Globalization;
using System.Threading.Channels;
using Maas.Core.Errors;
using Maas.Core.Models;

namespace Maas.Inference;

/// <summary>
/// Dynamic batching for one deployment: requests put their preprocessed tensors on a shared queue, and one worker per
/// runner (ONNX Runtime session) takes the first waiting request, lets others join it for up to the maximum queue
/// delay or until the batch is full, and runs them together. ONNX Runtime's per-run overhead and its kernels' better
/// use of wide inputs make one run of 16 images far cheaper than 16 runs of one. The queue is bounded (a full queue
/// refuses with <see cref="OverloadedException"/>), every request has a deadline, and a request cancelled while queued
/// is withdrawn and never run.
/// </summary>
public sealed class BatchScheduler : IDisposable
{
    private readonly Channel<BatchWorkItem> _queue = Channel.CreateUnbounded<BatchWorkItem>();
    private readonly ModelVersion _version;
    private readonly int _inputLength;
    private readonly IBatchObserver? _observer;
    private readonly Task[] _workers;
    private int _depth;
    private long _runs;

    /// <summary>Starts one worker per runner in <paramref name="instances"/>.</summary>
    /// <param name="version">The version served, for the observer and error messages.</param>
    /// <param name="instances">The runners; the scheduler does not dispose them.</param>
    /// <param name="inputLength">Floats per image.</param>
    /// <param name="options">Batch size, delay, capacity and timeout.</param>
    /// <param name="observer">Sees each run and each refusal.</param>
    public BatchScheduler(ModelVersion version, IReadOnlyList<IBatchRunner> instances, int inputLength, BatchingOptions options, IBatchObserver? observer = null)
    {
        ArgumentNullException.ThrowIfNull(version);
        ArgumentNullException.ThrowIfNull(instances);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfZero(instances.Count);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inputLength);
        _version = version;
        _inputLength = inputLength;
        Options = options.Validate();
        _observer = observer;
        _workers = instances.Select((runner, i) => Task.Run(() => WorkAsync(runner, i))).ToArray();
    }

    /// <summary>The batching settings.</summary>
    public BatchingOptions Options { get; }

    /// <summary>Requests waiting for a batch now.</summary>
    public int QueueDepth => Volatile.Read(ref _depth);

    /// <summary>Runs made so far.</summary>
    public long Runs => Interlocked.Read(ref _runs);

    /// <summary>
    /// Queues <paramref name="count"/> tensors (laid back to back in <paramref name="inputs"/>) and returns their
    /// outputs once the batch they joined has run.
    /// </summary>
    /// <exception cref="OverloadedException">The queue is full.</exception>
    /// <exception cref="DeadlineExceededException">The request timeout passed first.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> fired (the client went away).</exception>
    public async Task<float[]> RunAsync(float[] inputs, int count, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        if (inputs.Length < count * _inputLength)
        {
            throw new ArgumentException($"{inputs.Length} floats hold fewer than {count} images of {_inputLength}.", nameof(inputs));
        }

        cancellationToken.ThrowIfCancellationRequested();
        if (Interlocked.Increment(ref _depth) > Options.QueueCapacity)
        {
            Interlocked.Decrement(ref _depth);
            _observer?.OnRejected(_version);
            // A full queue drains in about (capacity / batch size) runs; one second is the smallest Retry-After.
            throw new OverloadedException(
                $"{_version.Reference}: the request queue is full ({Options.QueueCapacity} waiting); retry shortly or scale the deployment (maas scale {_version.Model} --instances N).",
                TimeSpan.FromSeconds(1));
        }

        var item = new BatchWorkItem(inputs, count);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(Options.RequestTimeoutMs);
        await using var withdraw = deadline.Token.Register(() =>
        {
            if (item.TryAbandon())
            {
                Interlocked.Decrement(ref _depth);
            }

            item.Completion.TrySetCanceled(deadline.Token);
        });
        if (!_queue.Writer.TryWrite(item))
        {
            Interlocked.Decrement(ref _depth);
            throw new UnavailableException($"{_version.Reference} is shutting down; retry to reach its replacement.");
        }

        try
        {
            return await item.Completion.Task;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new DeadlineExceededException(string.Create(CultureInfo.InvariantCulture,
                $"{_version.Reference}: no answer within the request timeout of {Options.RequestTimeoutMs} ms; the server is overloaded, or the timeout is too short for this model."));
        }
    }

    private async Task WorkAsync(IBatchRunner runner, int instance)
    {
        var reader = _queue.Reader;
        var batch = new List<BatchWorkItem>(Options.MaxBatchSize);
        BatchWorkItem? carried = null;
        while (true)
        {
            var first = carried ?? await TakeAsync(reader, CancellationToken.None);
            carried = null;
            if (first is null)
            {
                return;
            }

            batch.Clear();
            batch.Add(first);
            var count = first.Count;
            if (count < Options.MaxBatchSize)
            {
                using var window = new CancellationTokenSource(Options.MaxQueueDelayMs);
                while (count < Options.MaxBatchSize && await TakeAsync(reader, window.Token) is { } next)
                {
                    if (count + next.Count > Options.MaxBatchSize)
                    {
                        // Already claimed, so it leads the next batch rather than going back in the queue.
                        carried = next;
                        break;
                    }

                    batch.Add(next);
                    count += next.Count;
                }
            }

            Run(runner, instance, batch, count);
        }
    }

    /// <summary>The next request still waiting, or null when <paramref name="window"/> closes or the queue completes.</summary>
    private async ValueTask<BatchWorkItem?> TakeAsync(ChannelReader<BatchWorkItem> reader, CancellationToken window)
    {
        while (true)
        {
            while (reader.TryRead(out var item))
            {
                if (item.TryStart())
                {
                    Interlocked.Decrement(ref _depth);
                    return item;
                }
            }

            try
            {
                if (!await reader.WaitToReadAsync(window))
                {
                    return null;
                }
            }
            catch (OperationCanceledException) when (window.IsCancellationRequested)
            {
                return null;
            }
        }
    }

    private void Run(IBatchRunner runner, int instance, List<BatchWorkItem> batch, int count)
    {
        var started = Stopwatch.GetTimestamp();
        var waits = batch.Select(item => Stopwatch.GetElapsedTime(item.EnqueuedAt, started)).ToArray();
        float[] inputs;
        if (batch.Count == 1)
        {
            inputs = batch[0].Inputs;
        }
        else
        {
            inputs = new float[count * _inputLength];
            var offset = 0;
            foreach (var item in batch)
            {
                Array.Copy(item.Inputs, 0, inputs, offset, item.Count * _inputLength);
                offset += item.Count * _inputLength;
            }
        }

        float[] outputs;
        try
        {
            outputs = runner.Run(inputs, count);
        }
        catch (Exception e)
        {
            foreach (var item in batch)
            {
                item.Completion.TrySetException(e);
            }

            return;
        }

        Interlocked.Increment(ref _runs);
        var elapsed = Stopwatch.GetElapsedTime(started);
        var perImage = outputs.Length / count;
        var at = 0;
        foreach (var item in batch)
        {
            item.Completion.TrySetResult(outputs.AsSpan(at * perImage, item.Count * perImage).ToArray());
            at += item.Count;
        }

        _observer?.OnBatch(_version, new BatchRun(instance, count, batch.Count, elapsed, waits));
    }

    /// <summary>Completes when every worker has stopped after <see cref="Dispose"/>: then the runners can be disposed.</summary>
    public Task Completion => Task.WhenAll(_workers);

    /// <summary>
    /// Stops taking requests; the workers finish what is queued or running (a request that timed out may still be
    /// running) and then stop. Returns at once, so a swap never waits for a batch: watch <see cref="Completion"/>.
    /// </summary>
    public void Dispose() => _queue.Writer.TryComplete();
}
