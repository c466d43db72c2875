using System.Diagnostics;

namespace Maas.Cli.Tests;

/// <summary>Runs the real <c>maas</c> program (built beside the tests) in its own process with its own home folder.</summary>
public static class MaasProcess
{
    public sealed record Result(int ExitCode, string Stdout, string Stderr);

    public static Task<Result> RunAsync(string home, params string[] args) => RunAsync(home, null, args);

    /// <summary>Runs maas; <paramref name="interruptWhen"/>, if given, sends SIGINT (Ctrl+C) once a stderr line matches it.</summary>
    public static Task<Result> RunAsync(string home, Func<string, bool>? interruptWhen, params string[] args) =>
        RunAsync(home, interruptWhen, StopSignal.Interrupt, args);

    /// <summary>
    /// Runs maas; <paramref name="stopWhen"/>, if given, stops it with <paramref name="signal"/> once a stderr line
    /// matches it. A killed process exits with 128 + 9 = 137.
    /// </summary>
    public static Task<Result> RunAsync(string home, Func<string, bool>? stopWhen, StopSignal signal, params string[] args) =>
        RunAsync(home, new Dictionary<string, string>(), stopWhen, signal, args);

    /// <summary>Runs maas with <paramref name="environment"/> added to its environment.</summary>
    public static Task<Result> RunWithEnvironmentAsync(string home, IReadOnlyDictionary<string, string> environment, params string[] args) =>
        RunAsync(home, environment, null, StopSignal.Interrupt, args);

    private static async Task<Result> RunAsync(string home, IReadOnlyDictionary<string, string> environment, Func<string, bool>? stopWhen,
        StopSignal signal, string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "maas.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["MAAS_HOME"] = home;
        start.Environment["NO_COLOR"] = "1";
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = Task.Run(async () =>
        {
            var all = new System.Text.StringBuilder();
            var stopped = false;
            while (await process.StandardError.ReadLineAsync() is { } line)
            {
                all.AppendLine(line);
                if (!stopped && stopWhen?.Invoke(line) == true)
                {
                    stopped = true;
                    if (signal == StopSignal.Kill)
                    {
                        // SIGKILL: no handler, no finally block, no flush runs; the process is gone as in a crash.
                        process.Kill(entireProcessTree: false);
                        continue;
                    }

                    using var kill = Process.Start("kill", ["-INT", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
                    await kill.WaitForExitAsync();
                }
            }

            return all.ToString();
        });
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(timeout.Token);
        return new Result(process.ExitCode, await stdout, await stderr);
    }
}

/// <summary>How <see cref="MaasProcess"/> stops a running command once a standard-error line matches.</summary>
public enum StopSignal
{
    /// <summary>SIGINT, as Ctrl+C sends: the command may cancel cleanly.</summary>
    Interrupt,

    /// <summary>SIGKILL: the process ends at once, as in a crash.</summary>
    Kill,
}
