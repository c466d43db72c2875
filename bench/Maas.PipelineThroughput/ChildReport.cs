using System.Text.Json;

namespace Maas.PipelineThroughput;

/// <summary>What one child process measured about itself, written to its standard output as one JSON line.</summary>
/// <param name="Images">Images processed while the clock ran.</param>
/// <param name="Seconds">The timed part: processing every image, workers started and joined included; reading the files excluded.</param>
/// <param name="CpuSeconds">CPU time used during the timed part, all threads (Maas, JIT and GC included) or all worker processes (Python).</param>
/// <param name="PeakRssBytes">Peak resident set: VmHWM of the .NET process; for Python the sum of every process's own peak.</param>
/// <param name="InputBytes">The encoded file bytes held in memory during the run (counted in the peak).</param>
/// <param name="Shape">The output tensor's shape, channels first.</param>
internal sealed record ChildReport(int Images, double Seconds, double CpuSeconds, long PeakRssBytes, long InputBytes, IReadOnlyList<int> Shape)
{
    public static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public double ImagesPerSecond => Images / Seconds;

    /// <summary>Images per second of CPU time: less sensitive than <see cref="ImagesPerSecond"/> to other work on a shared machine.</summary>
    public double ImagesPerCpuSecond => Images / CpuSeconds;
}
