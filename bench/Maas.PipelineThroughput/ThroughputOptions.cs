using System.Globalization;

namespace Maas.PipelineThroughput;

/// <summary>The benchmark's command line.</summary>
/// <param name="Work">Where the prepared inputs, list files and the JSON results go. The default is <c>$TMPDIR/maas-pipeline-bench</c>.</param>
/// <param name="Photos">The folder of JPEG photographs. The default is mate-backgrounds' <c>/usr/share/backgrounds/mate/nature</c>.</param>
/// <param name="PhotoRepeat">Passes over the photographs per measurement, each a fresh epoch. The default is 40 (480 images).</param>
/// <param name="FashionCount">Fashion-MNIST test images written as PNG files and processed once per measurement. The default is 10,000.</param>
/// <param name="FashionPasses">
/// Passes over the Fashion-MNIST files per measurement. The default is 10: one pass takes 0.2 s on this machine, too
/// short to time against thread and process start-up and the machine's other load.
/// </param>
/// <param name="MemoryCounts">Smaller Fashion-MNIST counts run too, to show that peak memory does not grow with the count. The default is 2,000.</param>
/// <param name="Repeat">Runs of each measurement, back to back with the other implementations; medians are reported. The default is 3.</param>
/// <param name="Peers">Whether to run the Python peers. The default is true.</param>
internal sealed record ThroughputOptions(string Work, string Photos, int PhotoRepeat, int FashionCount, int FashionPasses, IReadOnlyList<int> MemoryCounts, int Repeat, bool Peers)
{
    public const string Usage = """
        Preprocessing throughput and peak memory: Maas' PipelineExecutor against OpenCV+NumPy and torchvision+PIL
        (Debian's /usr/bin/python3) on the same files, on one core and on all cores.

        usage: bench/run-pipeline-throughput.sh [options]
           or: dotnet run -c Release --project bench/Maas.PipelineThroughput -- [options]
          --work DIR            prepared inputs and results.json (default $TMPDIR/maas-pipeline-bench)
          --photos DIR          JPEG photographs (default /usr/share/backgrounds/mate/nature)
          --photo-repeat N      passes over the photographs per measurement, a fresh epoch each (default 40)
          --fashion-count N     Fashion-MNIST test images as PNG files (default 10000, at most 10000)
          --fashion-passes N    passes over the Fashion-MNIST files per measurement (default 10)
          --memory-counts A,..  smaller Fashion-MNIST counts for the memory table (default 2000; 'none' skips)
          --repeat N            runs of each measurement, medians reported (default 3)
          --no-peers            Maas only
        """;

    /// <summary>Parses <paramref name="args"/>; null (after printing why) when they are not understood or ask for help.</summary>
    public static ThroughputOptions? Parse(string[] args)
    {
        var options = new ThroughputOptions(Path.Combine(Path.GetTempPath(), "maas-pipeline-bench"), "/usr/share/backgrounds/mate/nature",
            40, 10_000, 10, [2_000], 3, Peers: true);
        for (var i = 0; i < args.Length; i++)
        {
            string Value() => i + 1 < args.Length ? args[++i] : throw new FormatException($"{args[i]} needs a value.");
            int Number() => Math.Max(1, int.Parse(Value(), NumberStyles.None, CultureInfo.InvariantCulture));
            try
            {
                options = args[i] switch
                {
                    "--work" => options with { Work = Path.GetFullPath(Value()) },
                    "--photos" => options with { Photos = Path.GetFullPath(Value()) },
                    "--photo-repeat" => options with { PhotoRepeat = Number() },
                    "--fashion-count" => options with { FashionCount = Math.Min(Number(), FashionMnistPngs.TestImages) },
                    "--fashion-passes" => options with { FashionPasses = Number() },
                    "--memory-counts" => options with { MemoryCounts = Value() is "none" ? [] : ParseList(args[i]) },
                    "--repeat" => options with { Repeat = Number() },
                    "--no-peers" => options with { Peers = false },
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
            .Select(p => Math.Clamp(int.Parse(p, NumberStyles.None, CultureInfo.InvariantCulture), 1, FashionMnistPngs.TestImages))
            .ToArray();
}
