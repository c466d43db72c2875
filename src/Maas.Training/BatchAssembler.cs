using static TorchSharp.torch;

namespace Maas.Training;

/// <summary>
/// Gathers the samples of one step, in shuffled order, into input and target tensors. It reuses one staging
/// buffer per full batch (torch.tensor copies it), so a step allocates no managed arrays but the last, short one.
/// </summary>
internal sealed class BatchAssembler(TrainingData data, int batchSize)
{
    // A batch is never larger than the data, however large the batch size asked for.
    private readonly float[] _pixels = new float[Math.Min(batchSize, data.Count) * data.SampleSize];
    private readonly long[] _labels = new long[Math.Min(batchSize, data.Count)];

    /// <summary>Tensors for the given samples; they belong to the caller's dispose scope.</summary>
    public (Tensor Input, Tensor Target) Assemble(ReadOnlySpan<int> samples)
    {
        int size = data.SampleSize;
        bool full = samples.Length == _labels.Length;
        var pixels = full ? _pixels : new float[samples.Length * size];
        var labels = full ? _labels : new long[samples.Length];
        for (int i = 0; i < samples.Length; i++)
        {
            int sample = samples[i];
            Array.Copy(data.Pixels, (long)sample * size, pixels, (long)i * size, size);
            labels[i] = data.Labels[sample];
        }

        return (
            tensor(pixels, [samples.Length, data.Channels, data.Height, data.Width]),
            tensor(labels, [samples.Length]));
    }
}
