namespace Maas.Core.Pipelines;

/// <summary>The channel layout an image is decoded to.</summary>
public enum ColorMode
{
    /// <summary>One channel of luminance.</summary>
    Gray,

    /// <summary>Three channels, red, green, blue; alpha is composited over black.</summary>
    Rgb,
}
