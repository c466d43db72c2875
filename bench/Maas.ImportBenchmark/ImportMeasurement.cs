using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Serialization;
using Maas.Core;
using Maas.Datasets;
using Maas.Imaging;
using Maas.Storage;

namespace Maas.ImportBenchmark;

/// <summary>What one child process measured about itself, written to its standard output as one JSON line.</summary>
/// <param name="Samples">Samples in the committed version (0 for the baseline).</param>
/// <param name="Rejected">Files the import rejected.</param>
/// <param name="Version">The committed version, e.g. <c>fashion@2</c>.</param>
/// <param name="Seconds">The import alone: opening the stores, reading, validating, storing and committing.</param>
/// <param name="CpuSeconds">User and system CPU time of the whole process.</param>
/// <param name="SystemCpuSeconds">The part of <paramref name="CpuSeconds"/> spent in the kernel (file creation, renames, sync).</param>
/// <param name="PeakRssBytes">The process's peak resident set (<c>VmHWM</c>).</param>
/// <param name="GcAllocatedBytes">Bytes the garbage-collected heap handed out over the process's life.</param>
internal sealed record ChildReport(int Samples, int Rejected, string Version, double Seconds, double CpuSeconds, double SystemCpuSeconds, long PeakRssBytes, long GcAllocatedBytes);

/// <summary>The child side: one import (or the baseline) in this process, measured from inside.</summary>
internal static class ImportMeasurement
{
    public static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    /// <summary>
    /// <c>measure idx|folder SOURCE HOME NAME</c> imports SOURCE into HOME as the next version of NAME;
    /// <c>measure baseline HOME</c> only opens the stores and decodes one image, for the floor a process starts from.
    /// </summary>
    public static async Task<int> RunChildAsync(string[] args)
    {
        ChildReport report;
        var clock = Stopwatch.StartNew();
        switch (args)
        {
            case ["baseline", var home]:
            {
                var stores = MaasStores.Open(new MaasHome(home));
                await stores.Datasets.ListVersionsAsync(CancellationToken.None);
                var png = ImageEncoder.EncodePng(new byte[28 * 28], 28, 28, 1);
                ImageDecoder.Decode(png, Core.Pipelines.ColorMode.Rgb, null, "baseline");
                report = Report(0, 0, "-", clock);
                break;
            }

            case [("idx" or "folder") and var kind, var source, var home, var name]:
            {
                var stores = MaasStores.Open(new MaasHome(home));
                // As the CLI builds it: rejection reports go under the home, not the system temp folder.
                var importer = new DatasetImporter(stores);
                // IDX files carry no class names; a PNG tree's class names are its folder names.
                var options = new ImportOptions(ClassNames: kind == "idx" ? FashionMnistData.ClassNames : null);
                var phases = new PhaseClock();
                var result = await importer.ImportAsync(source, name, options, phases, CancellationToken.None);
                report = Report(result.Version.SampleCount, result.Rejections.Count, result.Version.Reference, clock);
                // Where the wall time went, for whoever reads the child's error output (the parent passes it through).
                await Console.Error.WriteLineAsync("    stages: " + string.Join(", ", phases.Durations().Select(d => $"{d.Stage} {d.Seconds:F2} s")));
                break;
            }

            default:
                await Console.Error.WriteLineAsync("usage: measure idx|folder SOURCE HOME NAME | measure baseline HOME");
                return 2;
        }

        Console.WriteLine(JsonSerializer.Serialize(report, Json));
        return 0;
    }

    private static ChildReport Report(int samples, int rejected, string version, Stopwatch clock)
    {
        var seconds = clock.Elapsed.TotalSeconds;
        using var self = Process.GetCurrentProcess();
        return new ChildReport(samples, rejected, version, seconds, self.TotalProcessorTime.TotalSeconds,
            self.PrivilegedProcessorTime.TotalSeconds, self.PeakWorkingSet64,
            GC.GetTotalAllocatedBytes(precise: true));
    }
}
