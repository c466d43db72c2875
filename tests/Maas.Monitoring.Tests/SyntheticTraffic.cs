namespace Maas.Monitoring.Tests;

/// <summary>
/// Seeded synthetic served traffic: four classes whose embeddings are unit-variance Gaussian clusters in eight
/// dimensions, a softmax that is the Bayes posterior of those clusters (so the model is calibrated), and image
/// properties drawn independently of the class. Each option shifts one thing.
/// </summary>
internal sealed class SyntheticTraffic(int seed)
{
    public const int Classes = 4;
    public const int Dimensions = 8;
    private const double Separation = 2.5;

    private readonly Random _random = new(seed);

    /// <summary>Class shares of the traffic (uniform by default).</summary>
    public double[] ClassShares { get; init; } = [0.25, 0.25, 0.25, 0.25];

    /// <summary>Multiplies every brightness (0.6 darkens).</summary>
    public double BrightnessFactor { get; init; } = 1;

    /// <summary>Added to every embedding coordinate of the first non-class dimensions.</summary>
    public double EmbeddingOffset { get; init; }

    /// <summary>
    /// Scales how far the drawn class clusters lie from the origin; the model still assumes the reference's clusters,
    /// so below 1 the classes overlap more, the model is less sure and less often right.
    /// </summary>
    public double SeparationFactor { get; init; } = 1;

    /// <summary>Share of samples drawn from a far cluster the reference never saw.</summary>
    public double FarShare { get; init; }

    public MonitoringSample[] Draw(int count, bool labelled = false) => Enumerable.Range(0, count).Select(_ => Next(labelled)).ToArray();

    private MonitoringSample Next(bool labelled)
    {
        var label = Pick(ClassShares);
        var embedding = new float[Dimensions];
        var far = _random.NextDouble() < FarShare;
        for (var d = 0; d < Dimensions; d++)
        {
            var center = d == label ? Separation * SeparationFactor : 0;
            var offset = d >= Classes ? EmbeddingOffset : 0;
            embedding[d] = (float)(center + offset + (far ? 6 : 0) + Gaussian());
        }

        var logits = new double[Classes];
        for (var c = 0; c < Classes; c++)
        {
            // log N(x; μ_c, I) up to a constant shared by all classes: the posterior under equal priors.
            logits[c] = -0.5 * (embedding[c] - Separation) * (embedding[c] - Separation) + (0.5 * embedding[c] * embedding[c]);
        }

        var max = logits.Max();
        var exp = logits.Select(l => Math.Exp(l - max)).ToArray();
        var sum = exp.Sum();
        var probabilities = exp.Select(e => (float)(e / sum)).ToArray();

        var sizes = new[] { 224, 256, 320 };
        int width = sizes[_random.Next(sizes.Length)], height = sizes[_random.Next(sizes.Length)];
        var properties = new ImageProperties(
            Math.Clamp((0.5 + (0.08 * Gaussian())) * BrightnessFactor, 0, 1),
            Math.Clamp(0.25 + (0.05 * Gaussian()), 0, 1),
            Math.Exp(5 + (0.5 * Gaussian())),
            6 + (0.4 * Gaussian()),
            width,
            height,
            Math.Min((double)width / height, (double)height / width),
            3);
        return new MonitoringSample(properties, probabilities, embedding, labelled ? label : null);
    }

    private int Pick(double[] shares)
    {
        var u = _random.NextDouble() * shares.Sum();
        for (var c = 0; c < shares.Length; c++)
        {
            u -= shares[c];
            if (u < 0)
            {
                return c;
            }
        }

        return shares.Length - 1;
    }

    private double Gaussian()
    {
        // Box–Muller; 1 - U keeps the logarithm's argument in (0, 1].
        var u = 1 - _random.NextDouble();
        var v = _random.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u)) * Math.Cos(2 * Math.PI * v);
    }
}
