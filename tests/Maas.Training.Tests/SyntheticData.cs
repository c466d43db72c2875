namespace Maas.Training.Tests;

/// <summary>Small made-up data sets whose answers are known.</summary>
internal static class SyntheticData
{
    /// <summary>
    /// 1x8x8 images in two classes anyone can tell apart: class 0 is bright on the left half, class 1 on the
    /// right, both with noise.
    /// </summary>
    public static TrainingData LeftOrRight(int count, int seed)
    {
        const int Side = 8;
        var random = new Random(seed);
        var pixels = new float[count * Side * Side];
        var labels = new int[count];
        for (int n = 0; n < count; n++)
        {
            int label = n % 2;
            labels[n] = label;
            for (int y = 0; y < Side; y++)
            {
                for (int x = 0; x < Side; x++)
                {
                    bool bright = (x < Side / 2) == (label == 0);
                    pixels[(n * Side * Side) + (y * Side) + x] = (bright ? 0.8f : 0.2f) + (float)((random.NextDouble() - 0.5) * 0.3);
                }
            }
        }

        return new TrainingData(pixels, labels, 1, Side, Side, 2);
    }
}
