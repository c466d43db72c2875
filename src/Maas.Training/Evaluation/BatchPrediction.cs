namespace Maas.Training.Evaluation;

/// <summary>A network's outputs for a batch, row-major (sample, class), as the exported ONNX model gives them.</summary>
/// <param name="Count">Samples in the batch.</param>
/// <param name="ClassCount">Classes per sample.</param>
/// <param name="Logits">Count · ClassCount raw scores.</param>
/// <param name="Probabilities">Count · ClassCount softmax probabilities; each row sums to 1.</param>
public sealed record BatchPrediction(int Count, int ClassCount, float[] Logits, float[] Probabilities)
{
    /// <summary>The most probable class of a sample (the first, on a tie).</summary>
    /// <param name="sample">Index of the sample in the batch.</param>
    /// <returns>The class index.</returns>
    public int PredictedClass(int sample)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(sample);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(sample, Count);
        var row = Logits.AsSpan(sample * ClassCount, ClassCount);
        int best = 0;
        for (int k = 1; k < row.Length; k++)
        {
            if (row[k] > row[best])
            {
                best = k;
            }
        }

        return best;
    }
}
