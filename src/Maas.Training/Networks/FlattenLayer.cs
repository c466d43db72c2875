namespace Maas.Training.Networks;

/// <summary>Turns each sample's feature map (C, H, W) into a vector of C·H·W features, keeping the batch axis.</summary>
public sealed record FlattenLayer : LayerSpec;
