using System.CommandLine;
using Maas.Cli;
using Maas.Cli.Commands;
using Maas.Core.Errors;

var root = new RootCommand("Maas turns image data into a monitored classification service: import, train, register, serve.")
{
    DatasetCommands.Create(),
    AnalyzeCommand.Create(),
    PreprocessCommand.Create(),
    TrainCommand.Create(),
    TuneCommand.Create(),
    EvalCommand.Create(),
    RunsCommands.Create(),
    ModelsCommands.Create(),
    ServeCommand.Create(),
    DeployCommand.Create(),
    DeployCommand.CreateUndeploy(),
    DeployCommand.CreateScale(),
    KeysCommands.Create(),
    PredictCommand.Create(),
    QuickstartCommand.Create(),
    GcCommand.Create(),
    DoctorCommand.Create(),
};
root.Options.Add(CliContext.Json);

CliContext.FitRedirectedOutput();
var parse = root.Parse(args);
if (parse.Errors.Count > 0)
{
    foreach (var error in parse.Errors)
    {
        CliContext.WriteError(error.Message);
    }

    Console.Error.WriteLine("Run 'maas --help' (or 'maas <command> --help') for usage.");
    return ExitCodes.Usage;
}

// Ctrl+C and SIGTERM cancel the command's token; the command then has this long to mark its work cancelled and
// remove partial output before the process is ended. Set explicitly: some System.CommandLine 2.0 builds default to
// no handling at all, and the process then dies mid-write.
return await parse.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = TimeSpan.FromSeconds(30) });
