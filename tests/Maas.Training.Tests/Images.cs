namespace Maas.Training.Tests;

/// <summary>Resamples in-memory test images, so one real data set serves networks of very different cost.</summary>
internal static class Images
{
    /// <summary>Halves each side by averaging 2x2 squares (28x28 Fashion-MNIST becomes 14x14).</summary>
    public static TrainingData Shrink(TrainingData data)
    {
        int height = data.Height / 2, width = data.Width / 2, plane = height * width;
        var pixels = new float[data.Count * data.Channels * plane];
        for (int n = 0; n < data.Count * data.Channels; n++)
        {
            var source = data.Pixels.AsSpan(n * data.Height * data.Width, data.Height * data.Width);
            for (int y = 0; y < height; y++)
            {
                for (int x = 0; x < width; x++)
                {
                    int top = (2 * y * data.Width) + (2 * x), bottom = top + data.Width;
                    pixels[(n * plane) + (y * width) + x] = (source[top] + source[top + 1] + source[bottom] + source[bottom + 1]) / 4;
                }
            }
        }

        return data with { Pixels = pixels, Height = height, Width = width };
    }

    /// <summary>Scales grayscale images up to <paramref name="side"/> square (nearest neighbour) as three identical RGB channels.</summary>
    public static TrainingData Enlarge(TrainingData data, int side)
    {
        int plane = side * side;
        var pixels = new float[data.Count * 3 * plane];
        for (int n = 0; n < data.Count; n++)
        {
            var source = data.Pixels.AsSpan(n * data.SampleSize, data.SampleSize);
            for (int c = 0; c < 3; c++)
            {
                for (int y = 0; y < side; y++)
                {
                    for (int x = 0; x < side; x++)
                    {
                        pixels[(((n * 3) + c) * plane) + (y * side) + x] = source[(y * data.Height / side * data.Width) + (x * data.Width / side)];
                    }
                }
            }
        }

        return data with { Pixels = pixels, Channels = 3, Height = side, Width = side };
    }
}
