using System.Collections.Concurrent;

namespace Maas.Inference.Tests;

/// <summary>
/// A stand-in for an ONNX Runtime session: each image of two floats scores [first float, second float * 10], runs are
/// recorded, and a run can be held at a gate so tests decide what is queued behind it.
/// </summary>
public sealed class GatedRunner(bool open = true) : IBatchRunner, IDisposable
{
    public const int InputLength = 2;

    private readonly ManualResetEventSlim _gate = new(open);

    public ConcurrentQueue<float[]> Runs { get; } = new();

    /// <summary>Released once for every run that has begun.</summary>
    public SemaphoreSlim Entered { get; } = new(0);

    public void Open() => _gate.Set();

    public float[] Run(float[] batch, int count)
    {
        Runs.Enqueue(batch[..(count * InputLength)]);
        Entered.Release();
        _gate.Wait(TimeSpan.FromMinutes(1));
        var outputs = new float[count * 2];
        for (var i = 0; i < count; i++)
        {
            outputs[i * 2] = batch[i * InputLength];
            outputs[(i * 2) + 1] = batch[(i * InputLength) + 1] * 10;
        }

        return outputs;
    }

    public void Dispose()
    {
        _gate.Dispose();
        Entered.Dispose();
    }
}
