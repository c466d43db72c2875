using Maas.Core.Pipelines;

namespace Maas.Imaging;

/// <summary>
/// One op's random stream: SplitMix64 seeded from <see cref="SampleContext.StreamSeed"/>. Each op of each sample gets
/// its own stream, so no draw depends on which thread ran which sample first; nothing is shared between threads.
/// </summary>
internal struct OpRandom(ulong seed)
{
    private ulong _state = seed;

    public ulong NextUInt64()
    {
        var z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>Uniform in [0, 1), 53 bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    public double Uniform(double min, double max) => min + ((max - min) * NextDouble());

    /// <summary>Uniform integer in [min, max], both included (Python's randint).</summary>
    public int NextInt(int min, int max) => min + (int)((NextUInt64() >> 1) % (ulong)((long)max - min + 1));

    public bool Chance(double p) => NextDouble() < p;
}
