namespace Maas.Training.Networks;

/// <summary>
/// Batch normalization over the channels of a feature map, with a learned scale and shift. It normalizes by the
/// batch while training and by its running statistics at inference (and in the exported model).
/// </summary>
/// <param name="Channels">Channels of the feature map; must equal the channels the previous layer produces.</param>
public sealed record BatchNorm2dLayer(int Channels) : LayerSpec;
