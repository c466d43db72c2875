namespace Maas.Inference;

/// <summary>One class and the probability a model gives it.</summary>
/// <param name="Label">The class name.</param>
/// <param name="Index">The class index in the model's output.</param>
/// <param name="Probability">The softmax probability.</param>
public sealed record ClassScore(string Label, int Index, float Probability);
