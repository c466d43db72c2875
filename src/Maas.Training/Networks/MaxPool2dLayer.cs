namespace Maas.Training.Networks;

/// <summary>Max pooling over square windows, without padding; a partial window at the edge is dropped.</summary>
/// <param name="Kernel">Side of the square window.</param>
/// <param name="Stride">Step between windows. The default is 2.</param>
public sealed record MaxPool2dLayer(int Kernel, int Stride = 2) : LayerSpec;
