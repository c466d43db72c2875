using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;

namespace Maas.PipelineThroughput;

/// <summary>The medians of the measurements, as markdown tables for people and JSON for tools.</summary>
internal sealed class ResultTables
{
    private static readonly CultureInfo s_inv = CultureInfo.InvariantCulture;

    private readonly ThroughputOptions _options;
    private readonly IReadOnlyList<Implementation> _implementations;
    private readonly int _allCores;
    private readonly Row[] _rows;
    private readonly Row[] _memoryRows;

    public ResultTables(ThroughputOptions options, IReadOnlyList<Implementation> implementations, int[] workerCounts, List<Measurement> results)
    {
        _options = options;
        _implementations = implementations;
        _allCores = workerCounts[^1];
        var medians = results.GroupBy(r => (r.Workload, r.Files, r.Implementation, r.Workers))
            .Select(g => new Row(g.Key.Workload, g.Key.Implementation, g.Key.Workers, g.Key.Files, g.Count(),
                Median(g, r => r.Report.ImagesPerSecond), Median(g, r => r.Report.ImagesPerCpuSecond), Median(g, r => Mib(r.Report.PeakRssBytes)), Mib(g.First().Report.InputBytes),
                string.Join('x', g.First().Report.Shape), null, null))
            .ToArray();
        var main = medians.Where(r => r.Files == MainFiles(r.Workload)).ToArray();
        _rows = main.Select(r => r with
        {
            VsOpenCv = main.FirstOrDefault(o => o.Workload == r.Workload && o.Workers == r.Workers && o.Implementation == "OpenCV+NumPy") is { } cv
                ? r.ImagesPerSecond / cv.ImagesPerSecond : null,
            Scaling = r.Workers == _allCores && _allCores > 1 && main.FirstOrDefault(o => o.Workload == r.Workload && o.Implementation == r.Implementation && o.Workers == 1) is { } one
                ? r.ImagesPerSecond / one.ImagesPerSecond : null,
        }).ToArray();
        _memoryRows = medians.Where(r => r.Workload.StartsWith("(b)", StringComparison.Ordinal) && r.Workers == _allCores
                && medians.Any(o => o.Workload == r.Workload && o.Implementation == r.Implementation && o.Workers == r.Workers && o.Files != r.Files))
            .OrderBy(r => _implementations.ToList().FindIndex(i => i.Name == r.Implementation)).ThenBy(r => r.Files).ToArray();
        int MainFiles(string workload) => results.Where(r => r.Workload == workload).Max(r => r.Files);
    }

    public string Markdown()
    {
        var text = new StringBuilder();
        text.AppendLine("## Preprocessing throughput: Maas against the Python peers on the same files")
            .AppendLine()
            .AppendLine(s_inv, $"{Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription}; {string.Join("; ", _implementations.Select(i => $"{i.Name}: {i.Versions}"))}.")
            .AppendLine(s_inv, $"Median of {_options.Repeat} run(s), each a fresh process, implementations back to back. The file bytes are read into " +
                $"memory before the clock starts (not timed); the clock covers decoding and every op for every image, workers started and joined. " +
                $"Passes over the files: photos {_options.PhotoRepeat}, a fresh epoch (other augmentation) each; Fashion-MNIST {_options.FashionPasses}. Maas workers are threads, Python " +
                $"workers processes (one thread each); Python's peak RSS is the sum of each process's own peak, so libraries and inherited " +
                $"pages shared between the processes count once per process. Images per CPU s divide by the CPU time of the timed part " +
                $"(all threads or worker processes), which other load on a shared machine disturbs less than the wall clock. " +
                $"(a, draft) is (a) with each JPEG decoded at a reduced scale by libjpeg's DCT scaling: Maas' decode with draft, OpenCV's " +
                $"IMREAD_REDUCED_COLOR_2/4/8 chosen by the same rule, PIL's Image.draft; its pixels differ from (a)'s. " +
                $"(a, cached) is (a) in the epochs after the first: every side computes the deterministic prefix (decode, resize, centre " +
                $"crop) of each photo once before the clock starts, as training reads `maas preprocess`'s shard cache (Maas' RunPrefix, " +
                $"then RunFromPrefix; the peers keep the NumPy array or PIL image), and times the random ops and the tensor.")
            .AppendLine()
            .AppendLine("| workload | implementation | workers | images/s | images per CPU s | peak RSS MiB | vs OpenCV | scaling (all cores / 1) | output |")
            .AppendLine("|---|---|---:|---:|---:|---:|---:|---:|---|");
        foreach (var row in _rows.OrderBy(r => r.Workload, StringComparer.Ordinal).ThenBy(r => r.Workers).ThenBy(r => ImplementationOrder(r.Implementation)))
        {
            text.AppendLine(s_inv, $"| {row.Workload} ({row.Files:N0} files) | {row.Implementation} | {row.Workers} | {row.ImagesPerSecond:N0} | {row.ImagesPerCpuSecond:N0} | " +
                $"{row.PeakRssMib:N0} | {Ratio(row.VsOpenCv)} | {Ratio(row.Scaling)} | {row.Shape} float32 |");
        }

        var shapes = _rows.GroupBy(r => r.Workload).Where(g => g.Select(r => r.Shape).Distinct().Count() > 1).ToArray();
        foreach (var group in shapes)
        {
            text.AppendLine().AppendLine(s_inv, $"WARNING: {group.Key}: the implementations produce different shapes ({string.Join(", ", group.Select(r => $"{r.Implementation} {r.Shape}"))}).");
        }

        if (_memoryRows.Length > 0)
        {
            text.AppendLine()
                .AppendLine(s_inv, $"### Peak memory against the number of images, (b) Fashion-MNIST, {_allCores} workers")
                .AppendLine()
                .AppendLine("The input bytes are held in memory for the whole run and are part of the peak; the rest should not grow with the count.")
                .AppendLine()
                .AppendLine("| implementation | images | images/s | peak RSS MiB | of which input bytes MiB |")
                .AppendLine("|---|---:|---:|---:|---:|");
            foreach (var row in _memoryRows)
            {
                text.AppendLine(s_inv, $"| {row.Implementation} | {row.Files:N0} | {row.ImagesPerSecond:N0} | {row.PeakRssMib:N0} | {row.InputMib:F1} |");
            }
        }

        return text.ToString();
    }

    public string Json() => JsonSerializer.Serialize(new
    {
        Cores = Environment.ProcessorCount,
        Os = RuntimeInformation.OSDescription,
        Implementations = _implementations,
        _options.Repeat,
        _options.PhotoRepeat,
        _options.FashionPasses,
        Throughput = _rows,
        Memory = _memoryRows,
    }, new JsonSerializerOptions(ChildReport.Json) { WriteIndented = true });

    private int ImplementationOrder(string name) => _implementations.ToList().FindIndex(i => i.Name == name);

    private static string Ratio(double? value) => value is { } v ? v.ToString("F2", s_inv) : "";

    private static double Mib(long bytes) => bytes / (double)(1 << 20);

    private static double Median<T>(IEnumerable<T> items, Func<T, double> value)
    {
        var sorted = items.Select(value).Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }

    /// <summary>The median of one implementation's runs of one workload at one worker count.</summary>
    private sealed record Row(string Workload, string Implementation, int Workers, int Files, int Runs, double ImagesPerSecond, double ImagesPerCpuSecond,
        double PeakRssMib, double InputMib, string Shape, double? VsOpenCv, double? Scaling);
}
