using System.Numerics.Tensors;

namespace Maas.Analysis.Embeddings;

/// <summary>
/// Centres vectors on a reference mean and scales each to unit length. ResNet's pooled features are non-negative
/// and share a large common component; removing it spreads the classes apart and keeps the regression well
/// conditioned.
/// </summary>
public sealed class FeatureScaling
{
    private readonly float[] _mean;

    private FeatureScaling(float[] mean) => _mean = mean;

    /// <summary>Takes the mean of <paramref name="reference"/>.</summary>
    public static FeatureScaling Fit(IReadOnlyList<float[]> reference)
    {
        ArgumentNullException.ThrowIfNull(reference);
        var mean = new float[reference.Count > 0 ? reference[0].Length : 0];
        foreach (var v in reference)
        {
            TensorPrimitives.Add(mean, v, mean);
        }

        if (reference.Count > 0)
        {
            TensorPrimitives.Divide(mean, reference.Count, mean);
        }

        return new FeatureScaling(mean);
    }

    /// <summary>The centred, unit-length copy of <paramref name="v"/>.</summary>
    public float[] Apply(float[] v)
    {
        var x = new float[v.Length];
        TensorPrimitives.Subtract(v, _mean, x);
        var norm = TensorPrimitives.Norm(x);
        if (norm > 0)
        {
            TensorPrimitives.Divide(x, norm, x);
        }

        return x;
    }
}
