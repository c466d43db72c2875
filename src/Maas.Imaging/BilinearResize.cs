namespace Maas.Imaging;

/// <summary>
/// Bilinear resampling with half-pixel centres (OpenCV's INTER_LINEAR and PyTorch's align_corners=false), written
/// out here rather than delegated to a native library so that every host produces the same floats.
/// </summary>
public static class BilinearResize
{
    /// <summary>Resizes interleaved 8-bit pixels into interleaved floats on the same 0-255 scale.</summary>
    public static void Resize(ReadOnlySpan<byte> source, int width, int height, int channels,
        Span<float> destination, int newWidth, int newHeight)
    {
        if (destination.Length < newWidth * newHeight * channels)
        {
            throw new ArgumentException("The destination is too small.", nameof(destination));
        }

        var scaleX = (float)width / newWidth;
        var scaleY = (float)height / newHeight;
        for (var y = 0; y < newHeight; y++)
        {
            var sy = Math.Clamp(((y + 0.5f) * scaleY) - 0.5f, 0f, height - 1);
            var y0 = (int)sy;
            var y1 = Math.Min(y0 + 1, height - 1);
            var fy = sy - y0;
            for (var x = 0; x < newWidth; x++)
            {
                var sx = Math.Clamp(((x + 0.5f) * scaleX) - 0.5f, 0f, width - 1);
                var x0 = (int)sx;
                var x1 = Math.Min(x0 + 1, width - 1);
                var fx = sx - x0;
                var outBase = ((y * newWidth) + x) * channels;
                for (var c = 0; c < channels; c++)
                {
                    float p00 = source[(((y0 * width) + x0) * channels) + c];
                    float p01 = source[(((y0 * width) + x1) * channels) + c];
                    float p10 = source[(((y1 * width) + x0) * channels) + c];
                    float p11 = source[(((y1 * width) + x1) * channels) + c];
                    var top = p00 + ((p01 - p00) * fx);
                    var bottom = p10 + ((p11 - p10) * fx);
                    destination[outBase + c] = top + ((bottom - top) * fy);
                }
            }
        }
    }

    /// <summary>Nearest-neighbour resampling with the same pixel-centre convention.</summary>
    public static void Nearest(ReadOnlySpan<byte> source, int width, int height, int channels,
        Span<float> destination, int newWidth, int newHeight)
    {
        for (var y = 0; y < newHeight; y++)
        {
            var sy = Math.Min((int)((y + 0.5f) * height / newHeight), height - 1);
            for (var x = 0; x < newWidth; x++)
            {
                var sx = Math.Min((int)((x + 0.5f) * width / newWidth), width - 1);
                for (var c = 0; c < channels; c++)
                {
                    destination[(((y * newWidth) + x) * channels) + c] = source[(((sy * width) + sx) * channels) + c];
                }
            }
        }
    }
}
