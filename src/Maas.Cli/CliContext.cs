using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Serialization;
using Maas.Core;
using Maas.Core.Errors;
using Maas.Storage;
using Maas.Workflows.Training;
using Spectre.Console;

namespace Maas.Cli;

/// <summary>What every command shares: the <c>--json</c> switch, the home folder, output, and error handling.</summary>
internal static class CliContext
{
    public static readonly Option<bool> Json = new("--json")
    {
        Description = "Write machine-readable JSON to standard output instead of tables and progress bars.",
        Recursive = true,
    };

    public static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    // Wide enough for any row a command prints; tables do not expand, so they stay as wide as their content.
    private const int RedirectedWidth = 1 << 16;

    /// <summary>
    /// Spectre.Console assumes 80 columns when standard output is a file or a pipe and wraps every table cell and line
    /// to fit, which breaks <c>grep</c>, <c>cut</c> and long paths; there, render at the content's own width instead.
    /// </summary>
    public static void FitRedirectedOutput()
    {
        if (Console.IsOutputRedirected)
        {
            AnsiConsole.Profile.Width = RedirectedWidth;
        }
    }

    public static MaasStores OpenStores() => MaasStores.Open(MaasHome.FromEnvironment());

    public static void WriteJson<T>(T value) => Console.Out.WriteLine(JsonSerializer.Serialize(value, JsonOptions));

    /// <summary>
    /// Runs a command body, turning Maas errors into one line on standard error and the error's exit code, and
    /// Ctrl+C into exit code 130, never a stack trace.
    /// </summary>
    public static Func<ParseResult, CancellationToken, Task<int>> Action(Func<ParseResult, CancellationToken, Task<int>> body) =>
        async (parse, cancellationToken) =>
        {
            try
            {
                return await body(parse, cancellationToken);
            }
            catch (MaasException e)
            {
                WriteError(e.Message);
                return e.ExitCode;
            }
            catch (OperationCanceledException e) when (cancellationToken.IsCancellationRequested)
            {
                WriteError(e is TrainingCancelledException training
                    ? $"cancelled; run {training.RunId} keeps its last checkpoint; {training.ResumeHint}"
                    : "cancelled; nothing half-written was kept.");
                return ExitCodes.Cancelled;
            }
        };

    public static void WriteError(string message)
    {
        if (Console.IsErrorRedirected)
        {
            // Plain and unwrapped, so logs and scripts get the whole message on one line.
            Console.Error.WriteLine($"error: {message}");
            return;
        }

        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        console.MarkupLine($"[red]error:[/] {Markup.Escape(message)}");
    }
}
