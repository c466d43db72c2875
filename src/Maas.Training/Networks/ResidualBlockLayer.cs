namespace Maas.Training.Networks;

/// <summary>
/// The basic residual block of ResNet-18 and ResNet-34 (He et al., 2015): 3x3 convolution, batch norm, ReLU, 3x3
/// convolution, batch norm, added to a shortcut, then ReLU. The shortcut is the input itself when the shape is
/// kept, else a 1x1 convolution with the block's stride followed by batch norm. The convolutions have no bias.
/// </summary>
/// <param name="InChannels">Channels it reads; must equal the channels the previous layer produces.</param>
/// <param name="OutChannels">Channels it produces.</param>
/// <param name="Stride">Stride of the first convolution and of the shortcut; 2 halves each side. The default is 1.</param>
public sealed record ResidualBlockLayer(int InChannels, int OutChannels, int Stride = 1) : LayerSpec
{
    /// <summary>Whether the shortcut needs a projection (1x1 convolution and batch norm) to match the block's output.</summary>
    public bool HasProjection => Stride != 1 || InChannels != OutChannels;
}
