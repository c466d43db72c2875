namespace Maas.Imaging;

/// <summary>
/// Running per-channel sums of pixel values and their squares, in double precision: enough for exact means and
/// standard deviations over millions of 8-bit pixels (10,000 28x28 images sum to about 8e6 squared terms, far below
/// where double rounding matters).
/// </summary>
public sealed class ChannelMoments
{
    private readonly double[] _sum;
    private readonly double[] _squares;
    private readonly Lock _gate = new();

    /// <summary>Starts empty sums for <paramref name="channels"/> channels.</summary>
    public ChannelMoments(int channels)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(channels, 1);
        _sum = new double[channels];
        _squares = new double[channels];
    }

    /// <summary>The pixels counted so far (per channel).</summary>
    public long PixelCount { get; private set; }

    /// <summary>Adds one image's per-channel sums; safe to call from several threads.</summary>
    public void Add(ReadOnlySpan<double> sum, ReadOnlySpan<double> squares, long pixels)
    {
        lock (_gate)
        {
            for (var c = 0; c < _sum.Length; c++)
            {
                _sum[c] += sum[c];
                _squares[c] += squares[c];
            }

            PixelCount += pixels;
        }
    }

    /// <summary>Adds the interleaved 8-bit pixels of one image, scaled to [0, 1].</summary>
    public void AddPixels(ReadOnlySpan<byte> pixels)
    {
        var channels = _sum.Length;
        Span<double> sum = stackalloc double[channels];
        Span<double> squares = stackalloc double[channels];
        for (var i = 0; i < pixels.Length; i++)
        {
            var v = pixels[i] / 255.0;
            sum[i % channels] += v;
            squares[i % channels] += v * v;
        }

        Add(sum, squares, pixels.Length / channels);
    }

    /// <summary>The mean and population standard deviation per channel; zeros when nothing was added.</summary>
    public ChannelStatistics ToStatistics()
    {
        lock (_gate)
        {
            var n = Math.Max(PixelCount, 1);
            var mean = _sum.Select(s => s / n).ToArray();
            var std = _squares.Select((q, c) => Math.Sqrt(Math.Max(0, (q / n) - (mean[c] * mean[c])))).ToArray();
            return new ChannelStatistics(mean, std, PixelCount);
        }
    }
}
