namespace Maas.Core.Pipelines;

/// <summary>The channel layout an image is decoded to.</summary>
public enum ColorMode
{
    /// <summary>One channel of luminance (ITU-R BT.601 weights, as PIL's <c>convert('L')</c>).</summary>
    Gray,

    /// <summary>Three channels, red, green, blue; alpha is dropped (see <see cref="DecodeOp"/>).</summary>
    Rgb,
}
