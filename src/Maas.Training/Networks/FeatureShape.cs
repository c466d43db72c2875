namespace Maas.Training.Networks;

/// <summary>The shape of one sample as it flows through a network: a feature map (C, H, W) or a flat vector.</summary>
/// <param name="Channels">Channels of a feature map, or the number of features of a flat vector.</param>
/// <param name="Height">Height of a feature map; 1 for a flat vector.</param>
/// <param name="Width">Width of a feature map; 1 for a flat vector.</param>
/// <param name="IsFlat">Whether the sample is a flat vector rather than a feature map.</param>
internal readonly record struct FeatureShape(int Channels, int Height, int Width, bool IsFlat)
{
    public static FeatureShape Map(int channels, int height, int width) => new(channels, height, width, false);

    public static FeatureShape Flat(int features) => new(features, 1, 1, true);

    /// <summary>Elements per sample.</summary>
    public long Size => (long)Channels * Height * Width;

    public override string ToString() => IsFlat ? $"{Channels} features" : $"a {Channels}x{Height}x{Width} feature map";
}
