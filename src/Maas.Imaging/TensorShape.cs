namespace Maas.Imaging;

/// <summary>The shape of one preprocessed image tensor, channels first.</summary>
/// <param name="Channels">Number of channels.</param>
/// <param name="Height">Rows.</param>
/// <param name="Width">Columns.</param>
public readonly record struct TensorShape(int Channels, int Height, int Width)
{
    /// <summary>Channels x Height x Width.</summary>
    public int Length => Channels * Height * Width;
}
