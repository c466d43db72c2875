namespace Maas.Training;

/// <summary>
/// The randomness of one epoch as a pure function of the run's seed and the epoch number: the order of the samples
/// and the seed of libtorch's generator (dropout). Nothing of it has to be saved for a resumed run to draw what an
/// uninterrupted run would have drawn.
/// </summary>
internal static class EpochRandomness
{
    /// <summary>The order in which 1-based <paramref name="epoch"/> visits <paramref name="count"/> samples.</summary>
    public static int[] Order(long seed, int epoch, int count)
    {
        var order = Enumerable.Range(0, count).ToArray();
        new Random(unchecked((int)Mix(seed, epoch, 0x6f72646572))).Shuffle(order);
        return order;
    }

    /// <summary>The seed libtorch's generator gets at the start of 1-based <paramref name="epoch"/>.</summary>
    public static long TorchSeed(long seed, int epoch) => (long)(Mix(seed, epoch, 0x746f726368) >> 1);

    // SplitMix64's finalizer: nearby seeds and epochs give unrelated streams, and each purpose (order, torch) has its own.
    private static ulong Mix(long seed, int epoch, ulong purpose)
    {
        unchecked
        {
            ulong z = (ulong)seed + (0x9E3779B97F4A7C15UL * ((ulong)epoch + 1)) + (purpose * 0xBF58476D1CE4E5B9UL);
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            return z ^ (z >> 31);
        }
    }
}
