using System.Globalization;

namespace Maas.AnalysisBenchmark;

/// <summary>The benchmark's command line.</summary>
/// <param name="Work">Scratch folder (the flipped IDX copy and a home). The default is <c>$TMPDIR/maas-analysis-bench</c>.</param>
/// <param name="Source">The Fashion-MNIST IDX folder. The default is the Debian package's.</param>
/// <param name="FlipPercent">Percent of the training labels flipped to a random other class. The default is 10.</param>
/// <param name="Seed">Seeds which labels flip and to what. The default is 7.</param>
/// <param name="LabelEpochs">Epochs of each fold's CNN, as <c>maas analyze --label-epochs</c>. The default is the CLI's, 2.</param>
/// <param name="LabelMinutes">The CNN's time budget, as <c>maas analyze --label-minutes</c>. The default is the CLI's, 6.</param>
/// <param name="Analysis">Whether to run the full analysis. The default is true.</param>
/// <param name="Embeddings">Whether the analysis computes embeddings (false isolates the rest). The default is true.</param>
/// <param name="HashSizes">Hash counts the near-duplicate search is timed on. The default is 10,000, 70,000 and 1,000,000.</param>
internal sealed record BenchmarkOptions(string Work, string Source, double FlipPercent, int Seed, int LabelEpochs, double LabelMinutes, bool Analysis,
    bool Embeddings, IReadOnlyList<int> HashSizes)
{
    public const string Usage = """
        Measures maas analyze on all 70,000 Fashion-MNIST images with a known share of training labels flipped: time,
        peak memory, label-issue precision and recall; and the near-duplicate search on 10,000 to 1,000,000 hashes.

        usage: dotnet run -c Release --project bench/Maas.AnalysisBenchmark -- [options]
          --work DIR          scratch folder: the flipped IDX copy and a home of ~500 MB (default $TMPDIR/maas-analysis-bench)
          --source DIR        Fashion-MNIST IDX folder (default /usr/share/datasets/fashion-mnist)
          --flip-percent P    percent of training labels flipped (default 10)
          --seed N            seeds the flips (default 7)
          --label-epochs N    epochs per fold CNN (default 2, as maas analyze)
          --label-minutes M   CNN time budget (default 6, as maas analyze)
          --no-analysis       only time the near-duplicate search
          --no-embeddings     analyze without embeddings (as maas analyze --no-embeddings)
          --hash-sizes A,B,.. hash counts for the search timing (default 10000,70000,1000000; 'none' skips)
        """;

    /// <summary>Parses <paramref name="args"/>; null (after printing why) when they are not understood or ask for help.</summary>
    public static BenchmarkOptions? Parse(string[] args)
    {
        var options = new BenchmarkOptions(Path.Combine(Path.GetTempPath(), "maas-analysis-bench"), "/usr/share/datasets/fashion-mnist", 10, 7, 2, 6,
            Analysis: true, Embeddings: true, [10_000, 70_000, 1_000_000]);
        for (var i = 0; i < args.Length; i++)
        {
            string Value() => i + 1 < args.Length ? args[++i] : throw new FormatException($"{args[i]} needs a value.");
            double Number() => double.Parse(Value(), NumberStyles.Float, CultureInfo.InvariantCulture);
            try
            {
                options = args[i] switch
                {
                    "--work" => options with { Work = Path.GetFullPath(Value()) },
                    "--source" => options with { Source = Path.GetFullPath(Value()) },
                    "--flip-percent" => options with { FlipPercent = Number() },
                    "--seed" => options with { Seed = (int)Number() },
                    "--label-epochs" => options with { LabelEpochs = (int)Number() },
                    "--label-minutes" => options with { LabelMinutes = Number() },
                    "--no-analysis" => options with { Analysis = false },
                    "--no-embeddings" => options with { Embeddings = false },
                    "--hash-sizes" => options with
                    {
                        HashSizes = Value() is "none" ? [] : args[i].Split(',').Select(p => int.Parse(p, NumberStyles.None, CultureInfo.InvariantCulture)).ToArray(),
                    },
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
}
