namespace Maas.Training.Networks;

/// <summary>A 2-D convolution with a square kernel, the same stride and padding on both axes, and an optional bias.</summary>
/// <param name="InChannels">Channels it reads; must equal the channels the previous layer produces.</param>
/// <param name="OutChannels">Channels it produces (the number of filters).</param>
/// <param name="Kernel">Side of the square kernel.</param>
/// <param name="Stride">Step between kernel positions. The default is 1.</param>
/// <param name="Padding">Zero padding added on every side. The default is 0.</param>
/// <param name="Bias">
/// Whether it adds a learned bias per filter. The default is true; a convolution followed by batch normalization
/// needs none, since the normalization's shift takes its place.
/// </param>
public sealed record Conv2dLayer(int InChannels, int OutChannels, int Kernel, int Stride = 1, int Padding = 0, bool Bias = true) : LayerSpec;
