namespace Maas.Monitoring;

/// <summary>What monitoring keeps of one served (or reference) image.</summary>
/// <param name="Properties">The image's properties, or null when the image was not measured (the server measures a sample of its traffic under load).</param>
/// <param name="Probabilities">The model's softmax vector, one entry per class.</param>
/// <param name="Embedding">The image's embedding vector, or null when none was computed.</param>
/// <param name="TrueLabel">The true class index when someone has labelled the image, else null.</param>
public sealed record MonitoringSample(ImageProperties? Properties, float[] Probabilities, float[]? Embedding, int? TrueLabel = null)
{
    /// <summary>The predicted class: the index of the largest probability (the first on ties).</summary>
    public int PredictedClass
    {
        get
        {
            var best = 0;
            for (var i = 1; i < Probabilities.Length; i++)
            {
                if (Probabilities[i] > Probabilities[best])
                {
                    best = i;
                }
            }

            return best;
        }
    }
}
