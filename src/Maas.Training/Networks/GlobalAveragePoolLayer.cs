namespace Maas.Training.Networks;

/// <summary>
/// Averages each channel over the whole feature map, turning (C, H, W) into (C, 1, 1); follow it with a
/// <see cref="FlattenLayer"/> before a <see cref="LinearLayer"/>. It makes a network independent of the input size.
/// </summary>
public sealed record GlobalAveragePoolLayer : LayerSpec;
