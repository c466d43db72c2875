using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using Maas.Core;

namespace Maas.ImportBenchmark;

/// <summary>One measured process.</summary>
/// <param name="Source">What was read: <c>IDX</c>, <c>PNG tree</c>, the peer, or the baseline.</param>
/// <param name="Mode">Fresh home, re-import, ...</param>
/// <param name="Files">Images in the source.</param>
/// <param name="WallSeconds">The child process from start to exit, as the parent saw it.</param>
/// <param name="Report">What the child measured.</param>
internal sealed record Measurement(string Source, string Mode, int Files, double WallSeconds, ChildReport Report)
{
    public double ImagesPerSecond => Files / Report.Seconds;
}

/// <summary>The parent side: prepares the sources, runs each measurement in a fresh child process, prints tables.</summary>
internal static class BenchmarkRun
{
    private const string Idx = "IDX (gzip)";
    private const string Png = "PNG tree";
    private const string Fresh = "fresh home";
    private const string Again = "re-import, blobs stored";
    private const string PeerSource = "OpenCV peer (Python)";
    private const string PeerMode = "read + decode only, 1 core";

    // What the ./maas launcher sets (see the launcher and shared/DESIGN.md), so the children run as a user's import does.
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

        if (!FashionMnistData.Exists(options.Source))
        {
            await Console.Error.WriteLineAsync($"error: no Fashion-MNIST IDX files in {options.Source}; install them with 'apt-get install dataset-fashion-mnist'.");
            return 3;
        }

        var data = FashionMnistData.Load(options.Source);
        var sizes = options.Scaling.Where(c => c != options.Count).Append(options.Count).Distinct().Order().ToArray();
        if (sizes.Any(c => c < 2 || c > data.Count))
        {
            await Console.Error.WriteLineAsync($"error: sizes must lie between 2 and {data.Count:N0}.");
            return 2;
        }

        var cache = Path.Combine(options.Work, "cache");
        // Homes are kept until the end (about 460 MB per 70,000 images). ext4 allocates inodes slowly for a while
        // after many were deleted (perf: __ext4_new_inode -> find_inode_bit -> recently_deleted): a fresh 70,000-image
        // import right after deleting the previous home took 24 s here, 70% of it kernel time, against 9-14 s
        // without a deletion in the minute before.
        var homes = Path.Combine(options.Work, "homes");
        if (Directory.Exists(homes))
        {
            DeleteFolder(homes);
            Log("deleted the homes a previous run left; waiting a minute so the deletion does not slow the fresh imports");
            await Task.Delay(TimeSpan.FromSeconds(65));
        }

        Directory.CreateDirectory(cache);
        var sources = new Dictionary<int, (string Idx, string Png)>();
        foreach (var size in sizes)
        {
            var clock = Stopwatch.StartNew();
            sources[size] = (data.IdxFolder(cache, size), data.PngTree(cache, size));
            Log($"sources for {size:N0} images ready under {cache} ({clock.Elapsed.TotalSeconds:F1} s)");
        }

        AtomicFile.SyncFileSystems();
        var peer = options.Peer ? await OpenCvPeer.FindAsync() : null;
        if (options.Peer && peer is null)
        {
            Log($"skipping the OpenCV peer: {OpenCvPeer.Python} cannot import cv2 (apt-get install python3-opencv)");
        }

        var results = new List<Measurement>
        {
            await RunChildAsync("baseline", "stores opened, one image decoded", 0, NewHome(homes), ["baseline"]),
        };
        for (var run = 1; run <= options.Repeat; run++)
        {
            Log($"run {run} of {options.Repeat}");
            foreach (var (source, kind, path) in new[] { (Idx, "idx", sources[options.Count].Idx), (Png, "folder", sources[options.Count].Png) })
            {
                var home = NewHome(homes);
                results.Add(await RunChildAsync(source, Fresh, options.Count, home, [kind, path]));
                results.Add(await RunChildAsync(source, Again, options.Count, home, [kind, path]));
            }

            if (peer is not null)
            {
                results.Add(await peer.RunAsync(PeerSource, PeerMode, options.Count, sources[options.Count].Png));
            }
        }

        foreach (var size in sizes.Where(s => s != options.Count))
        {
            foreach (var (source, kind, path) in new[] { (Idx, "idx", sources[size].Idx), (Png, "folder", sources[size].Png) })
            {
                var home = NewHome(homes);
                results.Add(await RunChildAsync(source, Fresh, size, home, [kind, path]));
            }
        }

        Console.WriteLine(Tables(options, results));
        Log($"removing the scratch homes under {homes} (a minute or two)");
        DeleteFolder(homes);
        return 0;
    }

    /// <summary>Runs <c>measure KIND [SOURCE] HOME [NAME]</c> in a child process with <c>MAAS_HOME</c> set to <paramref name="home"/>.</summary>
    private static async Task<Measurement> RunChildAsync(string source, string mode, int files, string home, string[] what)
    {
        var start = new ProcessStartInfo(Environment.ProcessPath!)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet")
        {
            // Started as 'dotnet Maas.ImportBenchmark.dll' rather than through the apphost.
            start.ArgumentList.Add(typeof(BenchmarkRun).Assembly.Location);
        }

        string[] childArgs = what is [var kind] ? ["measure", kind, home] : ["measure", .. what, home, "fashion"];
        foreach (var arg in childArgs)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["GLIBC_TUNABLES"] = Environment.GetEnvironmentVariable("GLIBC_TUNABLES") ?? MaasMallocTunables;
        start.Environment["MAAS_HOME"] = home;

        var (stdout, wall) = await RunAsync(start);
        var report = JsonSerializer.Deserialize<ChildReport>(LastLine(stdout), ImportMeasurement.Json)
            ?? throw new InvalidOperationException($"the child printed no report: {stdout}");
        var measurement = new Measurement(source, mode, files, wall, report);
        Log(files == 0
            ? $"  {source}: peak RSS {Mib(report.PeakRssBytes):N0} MiB"
            : $"  {source}, {mode}: {report.Samples:N0} samples ({report.Rejected} rejected) as {report.Version} in {report.Seconds:F2} s " +
              $"= {measurement.ImagesPerSecond:N0} images/s, CPU {report.CpuSeconds:F1} s ({report.SystemCpuSeconds:F1} s kernel), peak RSS {Mib(report.PeakRssBytes):N0} MiB, " +
              $"GC allocated {Mib(report.GcAllocatedBytes):N0} MiB, process {wall:F2} s");
        return measurement;
    }

    /// <summary>Runs a process to its end; its standard output and wall time, or an exception with its standard error.</summary>
    internal static async Task<(string Stdout, double WallSeconds)> RunAsync(ProcessStartInfo start)
    {
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{start.FileName} did not start.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        var wall = clock.Elapsed.TotalSeconds;
        if (process.ExitCode == 0)
        {
            // A child's notes (an import's stage times) are shown, not parsed.
            await Console.Error.WriteAsync(await stderr);
        }

        return process.ExitCode == 0
            ? (await stdout, wall)
            : throw new InvalidOperationException($"{start.FileName} {string.Join(' ', start.ArgumentList)} exited with {process.ExitCode}: {await stderr}");
    }

    internal static string LastLine(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault() ?? "";

    private static string Tables(BenchmarkOptions options, List<Measurement> results)
    {
        var text = new StringBuilder();
        var inv = CultureInfo.InvariantCulture;
        text.AppendLine(inv, $"## Dataset import, Fashion-MNIST, {options.Count:N0} images")
            .AppendLine()
            .AppendLine(inv, $"{Environment.ProcessorCount} cores, {RuntimeInformation.FrameworkDescription}, {RuntimeInformation.OSDescription}; " +
                $"median of {options.Repeat} run(s), each in a fresh process; sources in the page cache; no mass deletion on the file system during the runs.")
            .AppendLine()
            .AppendLine("| source | import | images/s | import s | process wall s | CPU s (kernel) | peak RSS MiB | GC allocated MiB |")
            .AppendLine("|---|---|---:|---:|---:|---:|---:|---:|");
        foreach (var group in results.Where(r => r.Files == options.Count).GroupBy(r => (r.Source, r.Mode)))
        {
            var runs = group.ToArray();
            text.AppendLine(inv, $"| {group.Key.Source} | {group.Key.Mode} | {Median(runs, r => r.ImagesPerSecond):N0} | " +
                $"{Median(runs, r => r.Report.Seconds):F2} | {Median(runs, r => r.WallSeconds):F2} | {Median(runs, r => r.Report.CpuSeconds):F1} ({Median(runs, r => r.Report.SystemCpuSeconds):F1}) | " +
                $"{Median(runs, r => Mib(r.Report.PeakRssBytes)):N0} | {GcColumn(runs)} |");
        }

        var baseline = results.Single(r => r.Files == 0);
        text.AppendLine(inv, $"| baseline | {baseline.Mode} | | | {baseline.WallSeconds:F2} | {baseline.Report.CpuSeconds:F1} ({baseline.Report.SystemCpuSeconds:F1}) | " +
            $"{Mib(baseline.Report.PeakRssBytes):N0} | {Mib(baseline.Report.GcAllocatedBytes):F1} |");

        var scaling = results.Where(r => r.Mode == Fresh).OrderBy(r => r.Source, StringComparer.Ordinal).ThenBy(r => r.Files).GroupBy(r => (r.Source, r.Files)).ToArray();
        if (scaling.Select(g => g.Key.Files).Distinct().Count() > 1)
        {
            text.AppendLine()
                .AppendLine("### Peak memory against dataset size (fresh home)")
                .AppendLine()
                .AppendLine("| source | images | images/s | peak RSS MiB | GC allocated MiB | GC allocated KiB per image |")
                .AppendLine("|---|---:|---:|---:|---:|---:|");
            foreach (var group in scaling)
            {
                var runs = group.ToArray();
                var allocated = Median(runs, r => (double)r.Report.GcAllocatedBytes);
                text.AppendLine(inv, $"| {group.Key.Source} | {group.Key.Files:N0} | {Median(runs, r => r.ImagesPerSecond):N0} | " +
                    $"{Median(runs, r => Mib(r.Report.PeakRssBytes)):N0} | {allocated / (1 << 20):N0} | {allocated / 1024 / group.Key.Files:F1} |");
            }
        }

        return text.ToString();
    }

    private static string GcColumn(Measurement[] runs) =>
        runs.All(r => r.Report.GcAllocatedBytes < 0) ? "n/a" : Median(runs, r => Mib(r.Report.GcAllocatedBytes)).ToString("N0", CultureInfo.InvariantCulture);

    private static double Median(Measurement[] runs, Func<Measurement, double> value)
    {
        var sorted = runs.Select(value).Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }

    private static double Mib(long bytes) => bytes / (double)(1 << 20);

    private static string NewHome(string homes) => Path.Combine(homes, Guid.NewGuid().ToString("N")[..12]);

    /// <summary>
    /// Deletes a scratch folder and flushes the deletion, so that the next import's own sync (the importer flushes
    /// the file systems before it commits) does not also pay for the unlinked files.
    /// </summary>
    private static void DeleteFolder(string folder)
    {
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
            AtomicFile.SyncFileSystems();
        }
    }

    private static void Log(string message) => Console.Error.WriteLine(message);
}
