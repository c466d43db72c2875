using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Maas.Analysis.Reports;
using Maas.Core;
using Maas.Datasets;
using Maas.Storage;

namespace Maas.AnalysisBenchmark;

/// <summary>The parent side: flips labels, imports, runs the analysis in a child process, scores it, times the hash search.</summary>
internal static class BenchmarkRun
{
    // What the ./maas launcher sets, so the child runs as a user's analysis does.
    private const string MaasMallocTunables =
        "glibc.malloc.mmap_threshold=33554432:glibc.malloc.trim_threshold=268435456:glibc.malloc.arena_max=1";

    public static async Task<int> RunAsync(string[] args)
    {
        if (args is ["-h" or "--help"])
        {
            Console.WriteLine(BenchmarkOptions.Usage);
            return 0;
        }

        if (BenchmarkOptions.Parse(args) is not { } options)
        {
            return 2;
        }

        if (!File.Exists(Path.Combine(options.Source, "train-labels-idx1-ubyte.gz")))
        {
            await Console.Error.WriteLineAsync($"error: no Fashion-MNIST IDX files in {options.Source}; install them with 'apt-get install dataset-fashion-mnist'.");
            return 3;
        }

        Directory.CreateDirectory(options.Work);
        var data = FlippedFashionMnist.Create(options.Source, options.Work, options.FlipPercent, options.Seed);
        var output = new StringBuilder();
        if (options.HashSizes.Count > 0)
        {
            Log($"near-duplicate search, radius {HashSearchTiming.Radius}");
            var timings = HashSearchTiming.Run(data, options.HashSizes, options.Seed);
            output.AppendLine(CultureInfo.InvariantCulture, $"\nNear-duplicate search (multi-index Hamming search, radius {HashSearchTiming.Radius}, best of 3)\n");
            output.AppendLine("| hashes | source | seconds | µs per hash | pairs |").AppendLine("|---:|---|---:|---:|---:|");
            foreach (var t in timings)
            {
                output.AppendLine(CultureInfo.InvariantCulture, $"| {t.Hashes:N0} | {t.Kind} | {t.Seconds:F3} | {t.Seconds * 1e6 / t.Hashes:F2} | {t.Pairs:N0} |");
            }
        }

        if (options.Analysis)
        {
            output.Append(await AnalyzeAsync(options, data));
        }

        Console.WriteLine(output);
        return 0;
    }

    private static async Task<string> AnalyzeAsync(BenchmarkOptions options, FlippedFashionMnist data)
    {
        var home = Path.Combine(options.Work, "home");
        if (Directory.Exists(home))
        {
            Directory.Delete(home, recursive: true);
        }

        Log($"importing {data.Folder} ({data.Flipped.Count:N0} training labels flipped)");
        var clock = Stopwatch.StartNew();
        string reference;
        using (var stores = MaasStores.Open(new MaasHome(home)))
        {
            var result = await new DatasetImporter(stores).ImportAsync(data.Folder, "fashion", new ImportOptions(ClassNames: FlippedFashionMnist.ClassNames),
                progress: null, CancellationToken.None);
            reference = result.Version.Reference;
            Log($"  {result.Version.SampleCount:N0} samples as {reference} in {clock.Elapsed.TotalSeconds:F1} s");
        }

        Log($"analyzing {reference} in a child process (label model: small CNN, {options.LabelEpochs} epochs, {options.LabelMinutes} min budget)");
        var start = new ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardOutput = true, UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet")
        {
            start.ArgumentList.Add(typeof(BenchmarkRun).Assembly.Location);
        }

        foreach (var arg in new[] { "measure", home, reference, options.LabelEpochs.ToString(CultureInfo.InvariantCulture),
            options.LabelMinutes.ToString(CultureInfo.InvariantCulture), options.Embeddings ? "true" : "false" })
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["GLIBC_TUNABLES"] = Environment.GetEnvironmentVariable("GLIBC_TUNABLES") ?? MaasMallocTunables;
        clock.Restart();
        using var process = Process.Start(start) ?? throw new InvalidOperationException("the child did not start");
        var stdout = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"the child exited with {process.ExitCode}");
        }

        var child = JsonSerializer.Deserialize<ChildReport>(stdout.Trim().Split('\n')[^1], AnalysisMeasurement.Json)
            ?? throw new InvalidOperationException("the child printed no report");
        var report = ReportJson.Deserialize(await File.ReadAllTextAsync(Path.Combine(new ReportCache(new MaasHome(home)).FolderOf(reference), ReportCache.JsonFileName)),
            "report.json");
        return Tables(options, data, child, clock.Elapsed.TotalSeconds, report);
    }

    private static string Tables(BenchmarkOptions options, FlippedFashionMnist data, ChildReport child, double wall, AnalysisReport report)
    {
        var text = new StringBuilder();
        var counts = report.Anomalies.Counts;
        text.AppendLine(CultureInfo.InvariantCulture, $"\nFull analysis of {report.SampleCount:N0} Fashion-MNIST images (CLI defaults, embeddings and CNN label model)\n");
        text.AppendLine("| measure | value |").AppendLine("|---|---:|");
        text.AppendLine(CultureInfo.InvariantCulture, $"| analysis time | {child.Seconds:F1} s ({child.Seconds / 60:F2} min) |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| process wall time | {wall:F1} s |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| CPU time | {child.CpuSeconds:F1} s |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| peak RSS | {child.PeakRssBytes / 1048576.0:N0} MiB |");
        foreach (var (stage, at) in child.Stages.OrderBy(s => s.Value))
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"| stage '{stage}' started at | {at:F1} s |");
        }

        foreach (var kind in new[] { IssueKind.ExactDuplicate, IssueKind.NearDuplicate, IssueKind.Leakage, IssueKind.Outlier, IssueKind.LabelIssue })
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"| {kind} samples | {counts.GetValueOrDefault(kind):N0} |");
        }

        var flagged = report.Anomalies.Issues.Where(i => i.Issue == IssueKind.LabelIssue).ToArray();
        int hits = flagged.Count(i => data.Flipped.Contains(i.SampleId));
        var train = flagged.Where(i => i.Split == "train").ToArray();
        int trainHits = train.Count(i => data.Flipped.Contains(i.SampleId));
        var top = flagged.Take(data.Flipped.Count).Count(i => data.Flipped.Contains(i.SampleId));
        text.AppendLine(CultureInfo.InvariantCulture, $"\nLabel issues: {data.Flipped.Count:N0} of 60,000 training labels flipped ({options.FlipPercent}%, seed {options.Seed})\n");
        text.AppendLine(CultureInfo.InvariantCulture, $"Model: {report.Anomalies.LabelModel}\n");
        text.AppendLine("| measure | value |").AppendLine("|---|---:|");
        text.AppendLine(CultureInfo.InvariantCulture, $"| flagged | {flagged.Length:N0} ({train.Length:N0} in train, {flagged.Length - train.Length:N0} in test) |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| flagged and flipped | {hits:N0} |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| precision (all flagged) | {(double)hits / Math.Max(1, flagged.Length):F3} |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| precision (flagged in train, where the flips are) | {(double)trainHits / Math.Max(1, train.Length):F3} |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| recall | {(double)hits / data.Flipped.Count:F3} |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| precision of the top {data.Flipped.Count:N0} by self-confidence | {(double)top / data.Flipped.Count:F3} |");
        var pairs = flagged.Where(i => !data.Flipped.Contains(i.SampleId)).GroupBy(i => $"{i.Label} → {i.Action["relabel:".Length..]}")
            .OrderByDescending(g => g.Count()).Take(6).Select(g => $"{g.Key} ({g.Count():N0})");
        text.AppendLine(CultureInfo.InvariantCulture, $"\nMost common flagged-but-not-flipped (given → suggested): {string.Join(", ", pairs)}");
        return text.ToString();
    }

    public static void Log(string message) =>
        Console.Error.WriteLine($"[{DateTime.Now.ToString("HH:mm:ss", CultureInfo.InvariantCulture)}] {message}");
}
