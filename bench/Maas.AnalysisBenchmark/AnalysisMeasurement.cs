using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Maas.Analysis;
using Maas.Analysis.Reports;
using Maas.Core;
using Maas.Storage;
using Maas.Workflows.CrossValidation;

namespace Maas.AnalysisBenchmark;

/// <summary>What the child measured about itself, written to its standard output as one JSON line.</summary>
/// <param name="Seconds">The analysis alone, cached report written included.</param>
/// <param name="CpuSeconds">User and system CPU time of the whole process.</param>
/// <param name="PeakRssBytes">The process's peak resident set (<c>VmHWM</c>).</param>
/// <param name="Stages">Seconds from the start to the first progress report of each stage.</param>
internal sealed record ChildReport(double Seconds, double CpuSeconds, long PeakRssBytes, IReadOnlyDictionary<string, double> Stages);

/// <summary>The child side: one analysis in this process, as <c>maas analyze</c> runs it, measured from inside.</summary>
internal static class AnalysisMeasurement
{
    public static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    /// <summary>
    /// <c>measure HOME NAME@V EPOCHS MINUTES EMBEDDINGS</c> analyzes the version with the CLI's defaults, caches the report
    /// in HOME and writes the out-of-fold probabilities to HOME/out-of-fold.csv.
    /// </summary>
    public static async Task<int> RunChildAsync(string[] args)
    {
        if (args is not [var home, var reference, var epochs, var minutes, var embeddings])
        {
            await Console.Error.WriteLineAsync("usage: measure HOME NAME@V EPOCHS MINUTES true|false");
            return 2;
        }

        var clock = Stopwatch.StartNew();
        var stages = new Dictionary<string, double>();
        using var stores = MaasStores.Open(new MaasHome(home));
        var version = await stores.Datasets.GetVersionAsync(VersionedName.Parse(reference, "dataset"), CancellationToken.None);
        var samples = await stores.Datasets.GetSamplesAsync(version.Name, version.Version, CancellationToken.None);
        var trainer = new KFoldTrainer(stores.Blobs, new KFoldTrainerOptions(Epochs: int.Parse(epochs, CultureInfo.InvariantCulture),
            TimeBudget: TimeSpan.FromMinutes(double.Parse(minutes, CultureInfo.InvariantCulture))));
        var options = new AnalysisOptions(Embeddings: bool.Parse(embeddings), LabelModel: trainer.Name);
        var progress = new InlineProgress<AnalysisProgress>(p =>
        {
            lock (stages)
            {
                if (stages.TryAdd(p.Stage, Math.Round(clock.Elapsed.TotalSeconds, 1)))
                {
                    Console.Error.WriteLine($"{clock.Elapsed.TotalSeconds,7:F1} s  {p.Stage}");
                }
            }
        });
        var recorder = new RecordingClassifier(trainer, Path.Combine(home, "out-of-fold.csv"));
        var result = await new DatasetAnalyzer(stores.Datasets, stores.Blobs, recorder,
            (side, batch) => new Maas.Inference.ResNetEmbedder(batch: batch, side: side)).AnalyzeAsync(version, samples, options, progress, CancellationToken.None);
        await new ReportCache(stores.Home).SaveAsync(result, CancellationToken.None);
        var seconds = clock.Elapsed.TotalSeconds;
        using var self = Process.GetCurrentProcess();
        Console.WriteLine(JsonSerializer.Serialize(new ChildReport(seconds, self.TotalProcessorTime.TotalSeconds, self.PeakWorkingSet64, stages), Json));
        return 0;
    }
}
