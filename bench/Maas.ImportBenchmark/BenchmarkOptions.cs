using System.Globalization;

namespace Maas.ImportBenchmark;

/// <summary>The benchmark's command line.</summary>
/// <param name="Work">Cache and scratch folder. The default is <c>$TMPDIR/maas-import-bench</c>.</param>
/// <param name="Source">The Fashion-MNIST IDX folder. The default is the Debian package's.</param>
/// <param name="Count">Images in the main measurements. The default is 70,000 (all of them).</param>
/// <param name="Scaling">Smaller sizes imported once each to show how peak memory grows with size. The default is 10,000 and 35,000.</param>
/// <param name="Repeat">Runs of each main measurement; medians are reported. The default is 3.</param>
/// <param name="Peer">Whether to time the Python OpenCV peer. The default is true.</param>
internal sealed record BenchmarkOptions(string Work, string Source, int Count, IReadOnlyList<int> Scaling, int Repeat, bool Peer)
{
    public const string Usage = """
        Measures dataset import throughput and peak memory for Fashion-MNIST, as IDX files and as a PNG tree.

        usage: dotnet run -c Release --project bench/Maas.ImportBenchmark -- [options]
          --work DIR         cache (PNG trees, IDX subsets, ~500 MB) and scratch homes (~3.5 GB, kept until the
                             end of the run) (default $TMPDIR/maas-import-bench)
          --source DIR       Fashion-MNIST IDX folder (default /usr/share/datasets/fashion-mnist)
          --count N          images in the main measurements (default 70000, all of them)
          --scaling A,B,...  smaller sizes imported once each for the memory-vs-size table (default 10000,35000; 'none' skips)
          --repeat N         runs of each main measurement, medians reported (default 3)
          --no-peer          skip the Python OpenCV peer
        """;

    /// <summary>Parses <paramref name="args"/>; null (after printing why) when they are not understood or ask for help.</summary>
    public static BenchmarkOptions? Parse(string[] args)
    {
        var options = new BenchmarkOptions(Path.Combine(Path.GetTempPath(), "maas-import-bench"), FashionMnistData.DefaultFolder,
            70_000, [10_000, 35_000], 3, Peer: true);
        for (var i = 0; i < args.Length; i++)
        {
            string Value() => i + 1 < args.Length ? args[++i] : throw new FormatException($"{args[i]} needs a value.");
            int Number() => int.Parse(Value(), NumberStyles.None, CultureInfo.InvariantCulture);
            int[] Sizes() => Value() is "none" ? [] : ParseList(args[i]);
            try
            {
                options = args[i] switch
                {
                    "--work" => options with { Work = Path.GetFullPath(Value()) },
                    "--source" => options with { Source = Path.GetFullPath(Value()) },
                    "--count" => options with { Count = Number() },
                    "--scaling" => options with { Scaling = Sizes() },
                    "--repeat" => options with { Repeat = Math.Max(1, Number()) },
                    "--no-peer" => options with { Peer = false },
                    "-h" or "--help" => null,
                    _ => throw new FormatException($"unknown option {args[i]}."),
                };
            }
            catch (FormatException e)
            {
                Console.Error.WriteLine($"error: {e.Message}");
                options = null;
            }

            if (options is null)
            {
                Console.Error.WriteLine(Usage);
                return null;
            }
        }

        return options;
    }

    private static int[] ParseList(string text) =>
        text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(p => int.Parse(p, NumberStyles.None, CultureInfo.InvariantCulture))
            .ToArray();
}
