namespace Maas.Training.Networks;

/// <summary>A 2-D convolution with a square kernel, the same stride and padding on both axes, and a bias.</summary>
/// <param name="InChannels">Channels it reads; must equal the channels the previous layer produces.</param>
/// <param name="OutChannels">Channels it produces (the number of filters).</param>
/// <param name="Kernel">Side of the square kernel.</param>
/// <param name="Stride">Step between kernel positions. The default is 1.</param>
/// <param name="Padding">Zero padding added on every side. The default is 0.</param>
public sealed record Conv2dLayer(int InChannels, int OutChannels, int Kernel, int Stride = 1, int Padding = 0) : LayerSpec;
