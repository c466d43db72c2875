using Maas.Core.Errors;

namespace Maas.Inference;

/// <summary>How a deployment batches concurrent requests into ONNX Runtime runs.</summary>
/// <param name="MaxBatchSize">The most images in one run. The default is 32.</param>
/// <param name="MaxQueueDelayMs">How long the first request of a batch waits for others to join it, in milliseconds. The default is 2; 0 runs whatever is queued at once.</param>
/// <param name="QueueCapacity">The most requests waiting; beyond it requests are refused with 503 and Retry-After. The default is 256.</param>
/// <param name="RequestTimeoutMs">How long a request may wait and run before it is answered 504, in milliseconds. The default is 30000.</param>
/// <param name="Instances">ONNX Runtime sessions, each with its own batching worker on the shared queue. The default is 1.</param>
public sealed record BatchingOptions(int MaxBatchSize = 32, int MaxQueueDelayMs = 2, int QueueCapacity = 256, int RequestTimeoutMs = 30_000, int Instances = 1)
{
    /// <summary>The options every deployment gets unless told otherwise.</summary>
    public static BatchingOptions Default { get; } = new();

    /// <summary>Checks every value, naming the one out of range.</summary>
    /// <exception cref="InvalidInputException">A value is out of range.</exception>
    public BatchingOptions Validate()
    {
        Check(MaxBatchSize, 1, 4096, "max batch size");
        Check(MaxQueueDelayMs, 0, 60_000, "max queue delay (ms)");
        Check(QueueCapacity, 1, 1_000_000, "queue capacity");
        Check(RequestTimeoutMs, 1, 3_600_000, "request timeout (ms)");
        Check(Instances, 1, 64, "instances");
        return this;
    }

    private static void Check(int value, int min, int max, string name)
    {
        if (value < min || value > max)
        {
            throw new InvalidInputException($"{name}: {value} is out of range; use {min} to {max}.");
        }
    }
}
