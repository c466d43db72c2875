namespace Maas.Core.Pipelines;

/// <summary>How a resize computes new pixels. Every kind uses half-pixel centres (align_corners=false).</summary>
public enum Interpolation
{
    /// <summary>The nearest source pixel.</summary>
    Nearest,

    /// <summary>Linear in both directions from the 2x2 nearest pixels, not antialiased (OpenCV's INTER_LINEAR).</summary>
    Bilinear,

    /// <summary>Cubic convolution over 4x4 pixels with a = -0.75, not antialiased (OpenCV's INTER_CUBIC, PyTorch's bicubic).</summary>
    Bicubic,

    /// <summary>
    /// Each output pixel is the mean of the source area it covers, weighted by overlap: an antialiased box filter for
    /// downscaling (OpenCV's INTER_AREA).
    /// </summary>
    Area,
}
