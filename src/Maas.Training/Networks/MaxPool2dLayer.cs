namespace Maas.Training.Networks;

/// <summary>Max pooling over square windows; a partial window at the edge is dropped.</summary>
/// <param name="Kernel">Side of the square window.</param>
/// <param name="Stride">Step between windows. The default is 2.</param>
/// <param name="Padding">
/// Positions added on every side that never win the maximum (PyTorch pads with minus infinity, and so does
/// ONNX's MaxPool). The default is 0.
/// </param>
public sealed record MaxPool2dLayer(int Kernel, int Stride = 2, int Padding = 0) : LayerSpec;
