namespace Maas.Core.Pipelines;

/// <summary>How a resize computes new pixels.</summary>
public enum Interpolation
{
    /// <summary>The nearest source pixel.</summary>
    Nearest,

    /// <summary>Linear in both directions.</summary>
    Bilinear,
}
