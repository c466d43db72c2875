using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Maas.Cli.Tests;

/// <summary>
/// <c>maas serve --port 0 --json</c> running in its own process for the length of a test: started, waited on until it
/// prints the address it listens on, and stopped with SIGINT as Ctrl+C would.
/// </summary>
public sealed partial class ServeProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _stdout;
    private readonly Task _pumps;

    private ServeProcess(Process process, ConcurrentQueue<string> stdout, Task pumps, Uri url) =>
        (_process, _stdout, _pumps, Url) = (process, stdout, pumps, url);

    /// <summary>The server's base address.</summary>
    public Uri Url { get; }

    [GeneratedRegex("\"url\": \"(http[^\"]+)\"")]
    private static partial Regex UrlLine();

    /// <summary>Starts the server on a free port with <paramref name="args"/> added, and waits until it listens.</summary>
    public static async Task<ServeProcess> StartAsync(string home, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { Path.Combine(AppContext.BaseDirectory, "maas.dll"), "serve", "--port", "0", "--json" }.Concat(args))
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["MAAS_HOME"] = home;
        start.Environment["NO_COLOR"] = "1";
        var process = Process.Start(start)!;
        var stdout = new ConcurrentQueue<string>();
        var stderr = new ConcurrentQueue<string>();
        var url = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        var pumps = Task.WhenAll(
            Task.Run(async () =>
            {
                while (await process.StandardOutput.ReadLineAsync() is { } line)
                {
                    stdout.Enqueue(line);
                    if (UrlLine().Match(line) is { Success: true } match)
                    {
                        url.TrySetResult(new Uri(match.Groups[1].Value));
                    }
                }

                url.TrySetException(new InvalidOperationException($"maas serve exited without listening: {string.Join('\n', stderr)}"));
            }),
            Task.Run(async () =>
            {
                while (await process.StandardError.ReadLineAsync() is { } line)
                {
                    stderr.Enqueue(line);
                }
            }));
        try
        {
            return new ServeProcess(process, stdout, pumps, await url.Task.WaitAsync(TimeSpan.FromMinutes(2)));
        }
        catch
        {
            process.Kill();
            process.Dispose();
            throw;
        }
    }

    /// <summary>Waits until a standard-output line matches <paramref name="match"/> (the console log is written in the background).</summary>
    public async Task<bool> WaitForLineAsync(Func<string, bool> match)
    {
        for (var i = 0; i < 600 && !_stdout.Any(match); i++)
        {
            await Task.Delay(50);
        }

        return _stdout.Any(match);
    }

    /// <summary>
    /// Stops the server with SIGINT, killing it if it has not stopped within a minute (a loaded machine can be slow to
    /// deliver the signal; how the server stops is not what these tests check), and returns its standard output.
    /// </summary>
    public async Task<IReadOnlyList<string>> StopAsync()
    {
        if (!_process.HasExited)
        {
            using var interrupt = Process.Start("kill", ["-INT", _process.Id.ToString(CultureInfo.InvariantCulture)]);
            await interrupt.WaitForExitAsync();
        }

        try
        {
            await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(1));
        }
        catch (TimeoutException)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }

        await _pumps;
        return [.. _stdout];
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }
}
