using System.Diagnostics;
using System.Text.Json;

namespace Maas.ImportBenchmark;

/// <summary>
/// The reference peer: Debian's Python with python3-opencv reading and decoding the same PNG tree on one core
/// (<c>opencv_peer.py</c> beside the program). Optional: without cv2 the benchmark skips it.
/// </summary>
internal sealed class OpenCvPeer
{
    /// <summary>Debian's Python; the <c>python3</c> first on PATH here is a separate install that cannot see Debian's packages.</summary>
    public const string Python = "/usr/bin/python3";

    private static readonly string s_script = Path.Combine(AppContext.BaseDirectory, "opencv_peer.py");

    private OpenCvPeer()
    {
    }

    /// <summary>The peer, or null when Python or cv2 is missing.</summary>
    public static async Task<OpenCvPeer?> FindAsync()
    {
        if (!File.Exists(Python) || !File.Exists(s_script))
        {
            return null;
        }

        try
        {
            await BenchmarkRun.RunAsync(Start("-c", "import cv2, numpy"));
            return new OpenCvPeer();
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    /// <summary>Reads and decodes every file under <paramref name="root"/>.</summary>
    public async Task<Measurement> RunAsync(string source, string mode, int files, string root)
    {
        var (stdout, wall) = await BenchmarkRun.RunAsync(Start(s_script, root));
        var peer = JsonSerializer.Deserialize<PeerReport>(BenchmarkRun.LastLine(stdout), ImportMeasurement.Json)
            ?? throw new InvalidOperationException($"the peer printed no report: {stdout}");
        if (peer.Images != files)
        {
            throw new InvalidOperationException($"the peer decoded {peer.Images} files, expected {files}.");
        }

        Console.Error.WriteLine($"  {source}: {peer.Images:N0} images in {peer.Seconds:F2} s = {peer.Images / peer.Seconds:N0} images/s, " +
            $"peak RSS {peer.PeakRssBytes >> 20} MiB, process {wall:F2} s");
        return new Measurement(source, mode, files, wall, new ChildReport(peer.Images, 0, "-", peer.Seconds, peer.CpuSeconds, peer.SystemCpuSeconds, peer.PeakRssBytes, -1));
    }

    private static ProcessStartInfo Start(params string[] args)
    {
        var start = new ProcessStartInfo(Python)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        // One core, as the peer claims: OpenCV's own threads and numpy's BLAS stay single.
        start.Environment["OMP_NUM_THREADS"] = "1";
        start.Environment["OPENBLAS_NUM_THREADS"] = "1";
        return start;
    }

    private sealed record PeerReport(int Images, double Seconds, double CpuSeconds, double SystemCpuSeconds, long PeakRssBytes);
}
