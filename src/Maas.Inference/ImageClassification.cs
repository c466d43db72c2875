namespace Maas.Inference;

/// <summary>A model's answer for one image.</summary>
/// <param name="Top">The most probable classes, most probable first, as many as were asked for.</param>
/// <param name="Probabilities">Every class's probability, in the model's class order.</param>
/// <param name="PreprocessTime">Time spent decoding and preprocessing the image; null for a tensor sent ready-made.</param>
public sealed record ImageClassification(IReadOnlyList<ClassScore> Top, float[] Probabilities, TimeSpan? PreprocessTime);
