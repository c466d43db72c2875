using static TorchSharp.torch;

namespace Maas.Training;

/// <summary>
/// Gathers the samples of each step, in shuffled order, into input and target tensors. The next step's batch is
/// gathered on a worker while the current step computes (two staging buffers take turns; torch.tensor copies
/// out of them), and the time a step still had to wait for its data is counted. With augmentation, a batch's
/// samples are made in parallel.
/// </summary>
internal sealed class BatchAssembler
{
    private readonly TrainingData _data;
    private readonly float[][] _buffers;
    private readonly long[][] _labels;
    private readonly System.Diagnostics.Stopwatch _waited = new();
    private int _next;
    private Task<(int Buffer, int Count)>? _pending;

    public BatchAssembler(TrainingData data, int batchSize)
    {
        _data = data;
        // A batch is never larger than the data, however large the batch size asked for.
        var size = Math.Min(batchSize, data.Count);
        _buffers = [new float[size * data.SampleSize], new float[size * data.SampleSize]];
        _labels = [new long[size], new long[size]];
    }

    /// <summary>Seconds steps spent waiting for their batch since the last call; resets the count.</summary>
    public double TakeWaitSeconds()
    {
        var seconds = _waited.Elapsed.TotalSeconds;
        _waited.Reset();
        return seconds;
    }

    /// <summary>Starts gathering <paramref name="samples"/> for 0-based <paramref name="epoch"/> in the background.</summary>
    public void Prefetch(int[] samples, int start, int count, int epoch)
    {
        if (_pending is not null)
        {
            throw new InvalidOperationException("The previous batch has not been taken.");
        }

        var buffer = _next;
        _next = 1 - _next;
        _pending = Task.Run(() => Gather(buffer, samples, start, count, epoch));
    }

    /// <summary>Waits for the batch <see cref="Prefetch"/> started and returns its tensors, in the caller's dispose scope.</summary>
    public (Tensor Input, Tensor Target) Take()
    {
        var pending = _pending ?? throw new InvalidOperationException("No batch was prefetched.");
        _pending = null;
        _waited.Start();
        var (buffer, count) = pending.GetAwaiter().GetResult();
        _waited.Stop();
        var pixels = _buffers[buffer].AsSpan(0, count * _data.SampleSize).ToArray();
        return (
            tensor(count == _labels[buffer].Length ? _buffers[buffer] : pixels, [count, _data.Channels, _data.Height, _data.Width]),
            tensor(_labels[buffer].AsSpan(0, count).ToArray(), [count]));
    }

    /// <summary>Gathers the samples at once, for callers that do not overlap (tests).</summary>
    public (Tensor Input, Tensor Target) Assemble(ReadOnlySpan<int> samples, int epoch = 0)
    {
        Prefetch(samples.ToArray(), 0, samples.Length, epoch);
        return Take();
    }

    /// <summary>Waits for a batch still being gathered, so its buffer is not written after training ends.</summary>
    public void Drain()
    {
        try
        {
            _pending?.GetAwaiter().GetResult();
        }
        catch (Exception)
        {
            // The step that would have used it is gone; its error no longer matters.
        }

        _pending = null;
    }

    private (int Buffer, int Count) Gather(int buffer, int[] samples, int start, int count, int epoch)
    {
        var size = _data.SampleSize;
        var pixels = _buffers[buffer];
        var labels = _labels[buffer];
        if (_data.Augmentation is { } augmentation)
        {
            Parallel.For(0, count, i => augmentation.Fill(samples[start + i], epoch, pixels.AsSpan(i * size, size)));
        }
        else
        {
            for (var i = 0; i < count; i++)
            {
                Array.Copy(_data.Pixels, (long)samples[start + i] * size, pixels, (long)i * size, size);
            }
        }

        for (var i = 0; i < count; i++)
        {
            labels[i] = _data.Labels[samples[start + i]];
        }

        return (buffer, count);
    }
}
