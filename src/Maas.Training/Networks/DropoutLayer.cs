namespace Maas.Training.Networks;

/// <summary>Zeroes each element with probability <paramref name="Probability"/> while training; the identity at inference.</summary>
/// <param name="Probability">Chance of dropping an element, in [0, 1). The default is 0.5.</param>
public sealed record DropoutLayer(double Probability = 0.5) : LayerSpec;
