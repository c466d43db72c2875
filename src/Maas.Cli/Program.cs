using System.CommandLine;
using Maas.Cli;
using Maas.Cli.Commands;
using Maas.Core.Errors;

var root = new RootCommand("Maas turns image data into a monitored classification service: import, train, register, serve.")
{
    DatasetCommands.Create(),
    TrainCommand.Create(),
    ServeCommand.Create(),
    PredictCommand.Create(),
    QuickstartCommand.Create(),
};
root.Options.Add(CliContext.Json);

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

return await parse.InvokeAsync();
