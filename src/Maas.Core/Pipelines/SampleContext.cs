using System.Text;

namespace Maas.Core.Pipelines;

/// <summary>
/// Everything a pipeline run may depend on besides the image: the run's seed, which sample it is, the epoch and the
/// mode. In training, op i of the pipeline draws from a stream seeded by a hash of (seed, sample, epoch, i), so a sample's
/// augmentation is the same however threads are scheduled, and changes from epoch to epoch.
/// </summary>
/// <param name="Seed">The run's seed.</param>
/// <param name="SampleKey">A stable number for the sample; <see cref="KeyOf"/> turns a sample id into one.</param>
/// <param name="Epoch">The epoch, from 0.</param>
/// <param name="Mode">Training runs the random ops; evaluation ignores the other fields.</param>
public readonly record struct SampleContext(ulong Seed, ulong SampleKey, int Epoch, PipelineMode Mode)
{
    /// <summary>The context of evaluation and serving: no randomness, nothing else matters.</summary>
    public static SampleContext Evaluation => default;

    /// <summary>A training context for the sample named <paramref name="sampleId"/>.</summary>
    public static SampleContext Training(ulong seed, string sampleId, int epoch) =>
        new(seed, KeyOf(sampleId), epoch, PipelineMode.Training);

    /// <summary>A training context for the sample numbered <paramref name="sampleKey"/> (an index, say).</summary>
    public static SampleContext Training(ulong seed, ulong sampleKey, int epoch) =>
        new(seed, sampleKey, epoch, PipelineMode.Training);

    /// <summary>
    /// A stable 64-bit key for a sample id: FNV-1a over its UTF-8 bytes. Unlike <see cref="string.GetHashCode()"/> it
    /// is the same in every process, so a resumed run augments each sample as the first attempt did.
    /// </summary>
    public static ulong KeyOf(string sampleId)
    {
        ArgumentNullException.ThrowIfNull(sampleId);
        var hash = 14695981039346656037UL;
        foreach (var b in Encoding.UTF8.GetBytes(sampleId))
        {
            hash = (hash ^ b) * 1099511628211UL;
        }

        return hash;
    }

    /// <summary>
    /// The seed of op <paramref name="opIndex"/>'s random stream: each field is folded in through the SplitMix64
    /// finalizer, so neighbouring samples, epochs and ops get unrelated streams.
    /// </summary>
    public ulong StreamSeed(int opIndex)
    {
        var h = Mix(Seed ^ 0x9E3779B97F4A7C15UL);
        h = Mix(h ^ SampleKey);
        h = Mix(h ^ (ulong)(uint)Epoch);
        return Mix(h ^ (ulong)(uint)opIndex ^ 0xD1B54A32D192ED03UL);
    }

    private static ulong Mix(ulong z)
    {
        z += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
