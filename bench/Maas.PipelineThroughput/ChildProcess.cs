using System.Diagnostics;
using System.Text.Json;

namespace Maas.PipelineThroughput;

/// <summary>Runs child processes to their end.</summary>
internal static class ChildProcess
{
    /// <summary>Runs a process; its standard output, or an exception with its standard error when it fails.</summary>
    public static async Task<string> RunAsync(ProcessStartInfo start)
    {
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{start.FileName} did not start.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return process.ExitCode == 0
            ? await stdout
            : throw new InvalidOperationException($"{start.FileName} {string.Join(' ', start.ArgumentList)} exited with {process.ExitCode}: {await stderr}");
    }

    /// <summary>The last line of <paramref name="stdout"/>, read as JSON.</summary>
    public static T LastJsonLine<T>(string stdout)
    {
        var last = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault() ?? "";
        return JsonSerializer.Deserialize<T>(last, ChildReport.Json) ?? throw new InvalidOperationException($"the child printed no report: {stdout}");
    }
}
