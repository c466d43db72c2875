namespace Maas.Inference;

/// <summary>A model's answer for one image.</summary>
/// <param name="Top">The most probable classes, most probable first, as many as were asked for.</param>
/// <param name="Probabilities">Every class's probability, in the model's class order.</param>
/// <param name="PreprocessTime">Time spent decoding and preprocessing the image; null for a tensor sent ready-made.</param>
public sealed record ImageClassification(IReadOnlyList<ClassScore> Top, float[] Probabilities, TimeSpan? PreprocessTime)
{
    /// <summary>
    /// The network's penultimate-layer features for the image, from the graph's <c>embedding</c> output, computed in
    /// the same run as the probabilities; null when the graph has no such output.
    /// </summary>
    public float[]? Embedding { get; init; }
}
