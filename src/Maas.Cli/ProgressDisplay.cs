using System.Diagnostics;
using System.Globalization;
using Maas.Core;
using Maas.Workflows;
using Spectre.Console;

namespace Maas.Cli;

/// <summary>
/// Progress bars for long work: one bar per stage, with counts, rate, elapsed time and ETA. With <c>--json</c>
/// nothing is drawn, so standard output stays machine-readable.
/// </summary>
internal static class ProgressDisplay
{
    /// <summary>A report: the stage (a bar's title), items done, items in the stage, and an optional detail.</summary>
    public delegate void Report(string stage, long done, long total, string? detail = null);

    /// <summary>A workflow's stage progress, drawn by <paramref name="report"/>.</summary>
    public static IProgress<StageProgress> Stages(Report report) => new InlineProgress<StageProgress>(p => report(p.Stage, p.Done, p.Total));

    public static async Task<T> RunAsync<T>(bool json, Func<Report, CancellationToken, Task<T>> work, CancellationToken cancellationToken)
    {
        if (json)
        {
            return await work((_, _, _, _) => { }, cancellationToken);
        }

        if (!AnsiConsole.Profile.Capabilities.Interactive)
        {
            return await work(PlainReporter(), cancellationToken);
        }

        T result = default!;
        await AnsiConsole.Progress()
            .AutoClear(false)
            .HideCompleted(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(),
                new ElapsedTimeColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .StartAsync(async context =>
            {
                var tasks = new Dictionary<string, (ProgressTask Task, Stopwatch Clock)>();
                var gate = new Lock();
                void Update(string stage, long done, long total, string? detail)
                {
                    lock (gate)
                    {
                        if (!tasks.TryGetValue(stage, out var entry))
                        {
                            entry = (context.AddTask(Markup.Escape(stage), maxValue: Math.Max(1, total)), Stopwatch.StartNew());
                            tasks[stage] = entry;
                        }

                        var rate = done / Math.Max(entry.Clock.Elapsed.TotalSeconds, 1e-3);
                        entry.Task.MaxValue = Math.Max(1, total);
                        entry.Task.Value = done;
                        entry.Task.Description = Markup.Escape(string.Create(CultureInfo.InvariantCulture,
                            $"{stage} {done:N0}/{total:N0} {rate:N0}/s{(detail is null ? "" : " " + detail)}"));
                        if (done >= total && total > 0)
                        {
                            // A finished stage stops its clock, so its elapsed time is its own, not the whole command's.
                            entry.Task.StopTask();
                        }
                    }
                }

                result = await work(Update, cancellationToken);
                lock (gate)
                {
                    foreach (var (task, _) in tasks.Values)
                    {
                        task.Value = task.MaxValue;
                        task.StopTask();
                    }
                }
            });
        return result;
    }

    /// <summary>Without a terminal (logs, CI) a redrawn bar would print hundreds of lines: print each stage at every tenth.</summary>
    private static Report PlainReporter()
    {
        var gate = new Lock();
        var printed = new Dictionary<string, (long Tenth, Stopwatch Clock)>();
        return (stage, done, total, detail) =>
        {
            lock (gate)
            {
                if (!printed.TryGetValue(stage, out var state))
                {
                    state = (-1, Stopwatch.StartNew());
                }

                var tenth = total <= 0 ? 10 : done * 10 / total;
                if (tenth > state.Tenth)
                {
                    var rate = done / Math.Max(state.Clock.Elapsed.TotalSeconds, 1e-3);
                    var eta = rate > 0 && total > done ? TimeSpan.FromSeconds((total - done) / rate) : TimeSpan.Zero;
                    Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"{stage}: {done:N0}/{total:N0} ({tenth * 10}%) {rate:N0}/s ETA {(int)eta.TotalMinutes}m{eta.Seconds:00}s{(detail is null ? "" : " " + detail)}"));
                    state.Tenth = tenth;
                }

                printed[stage] = state;
            }
        };
    }
}
