namespace Maas.Training.Networks;

/// <summary>A fully connected layer with a bias. It reads a flat vector, so a feature map needs a <see cref="FlattenLayer"/> first.</summary>
/// <param name="InFeatures">Features it reads; must equal the features the previous layer produces.</param>
/// <param name="OutFeatures">Features it produces.</param>
public sealed record LinearLayer(int InFeatures, int OutFeatures) : LayerSpec;
