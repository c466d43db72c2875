using System.Globalization;

namespace Maas.PipelineThroughput;

/// <summary>This process's peak resident set, as the kernel counts it.</summary>
internal static class PeakMemory
{
    /// <summary>VmHWM from <c>/proc/self/status</c>, in bytes: every thread and native allocation, not only the GC heap.</summary>
    public static long PeakRssBytes()
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
            {
                var kib = line["VmHWM:".Length..].Trim().Split(' ')[0];
                return long.Parse(kib, NumberStyles.None, CultureInfo.InvariantCulture) * 1024;
            }
        }

        throw new InvalidOperationException("/proc/self/status has no VmHWM line.");
    }
}
