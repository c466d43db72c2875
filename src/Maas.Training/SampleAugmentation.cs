using System.Buffers;
using Maas.Core.Pipelines;
using Maas.Imaging;

namespace Maas.Training;

/// <summary>
/// Makes a training sample's tensor for an epoch: its cached prefix image (decoded, resized... once) through the
/// rest of the pipeline in training mode, so each epoch sees a new augmentation, fixed by the seed, the sample and
/// the epoch alone.
/// </summary>
/// <param name="executor">Runs the pipeline after its deterministic prefix.</param>
/// <param name="shards">The prefix images of the dataset version.</param>
/// <param name="cacheIndices">For each sample of the split, its image's index in <paramref name="shards"/>.</param>
/// <param name="sampleKeys">For each sample, its stable key (<see cref="SampleContext.KeyOf"/> of its id).</param>
/// <param name="seed">The run's seed.</param>
public sealed class SampleAugmentation(PipelineExecutor executor, IPrefixImages shards, IReadOnlyList<int> cacheIndices,
    IReadOnlyList<ulong> sampleKeys, ulong seed)
{
    /// <summary>The pipeline's executor.</summary>
    public PipelineExecutor Executor => executor;

    /// <summary>Writes sample <paramref name="sample"/>'s tensor for 0-based <paramref name="epoch"/> into <paramref name="destination"/>.</summary>
    public void Fill(int sample, int epoch, Span<float> destination)
    {
        var index = cacheIndices[sample];
        var (width, height, channels) = shards.SizeOf(index);
        var length = width * height * channels;
        var buffer = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            shards.Read(index, buffer.AsSpan(0, length));
            executor.RunFromPrefix(buffer.AsSpan(0, length), width, height, channels, destination,
                SampleContext.Training(seed, sampleKeys[sample], epoch));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
