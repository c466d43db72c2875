using System.CommandLine;
using Maas.Core.Errors;
using Maas.Core.Models;
using Maas.Workflows.Models;
using Spectre.Console;

namespace Maas.Cli.Commands;

/// <summary>
/// <c>maas models register NAME --onnx F --pipeline F --labels F</c>: registers a classifier trained elsewhere;
/// <c>maas models register NAME --run RUN</c>: registers (or retries registering) a completed run's model.
/// </summary>
internal static class ModelsRegisterCommand
{
    private const string Logits = "logits";
    private const string Probabilities = "probabilities";

    private sealed record Registered(string Reference, string Model, int Version, string Input, string Output, string Outputs, IReadOnlyList<string> Labels, string ArtifactPath);

    public static Command Create()
    {
        var name = new Argument<string>("name") { Description = "The model name; registering into an existing name makes its next version." };
        var run = new Option<string>("--run") { Description = "A completed run whose exported model to register (as maas train --register would have); moves the model's production alias to it." };
        var onnx = new Option<string>("--onnx") { Description = "The ONNX classifier: one float [N,C,H,W] input, one [N,classes] output." };
        var pipeline = new Option<string>("--pipeline") { Description = "The pipeline spec (JSON or YAML) that turns an image into the model's input." };
        var labels = new Option<string>("--labels") { Description = "Class names in output order: a .json array of strings, or a text file with one per line." };
        var outputs = new Option<string>("--outputs") { Description = "What the output holds: logits (a softmax is appended for serving) or probabilities.", DefaultValueFactory = _ => Logits };
        var command = new Command("register",
            "Register an existing ONNX image classifier with its pipeline and labels (--onnx, --pipeline, --labels), or a completed run's model (--run), as the next version of a model.")
        {
            name, run, onnx, pipeline, labels, outputs,
        };
        command.SetAction(CliContext.Action(async (parse, ct) =>
        {
            var request = new RegistrationRequest(parse.GetValue(name)!);
            if (parse.GetValue(run) is { } runId)
            {
                if (parse.GetValue(onnx) is not null || parse.GetValue(pipeline) is not null || parse.GetValue(labels) is not null)
                {
                    throw new InvalidInputException("--run registers the model the run exported; leave out --onnx, --pipeline and --labels.");
                }

                request = request with { RunId = runId, Aliases = [WellKnownAliases.Production] };
            }
            else
            {
                request = request with { Files = new ExternalModelFiles(Require(parse, onnx), Require(parse, pipeline), Require(parse, labels), ParseOutputs(parse.GetValue(outputs)!)) };
            }

            using var stores = CliContext.OpenStores();
            var outcome = await new RegistrationJob(stores).RunAsync(request, null, ct);
            foreach (var warning in outcome.Warnings)
            {
                Console.Error.WriteLine($"warning: {warning}");
            }

            var version = outcome.Version;
            var kind = request.Files?.Outputs is ClassifierOutputs.Probabilities ? Probabilities : Logits;
            if (parse.GetValue(CliContext.Json))
            {
                CliContext.WriteJson(new Registered(version.Reference, version.Model, version.Version, outcome.InputName, outcome.OutputName,
                    request.RunId is null ? kind : Probabilities, version.Labels, outcome.ArtifactPath));
                return ExitCodes.Success;
            }

            var shape = outcome.InputShape;
            AnsiConsole.MarkupLine($"Registered [bold green]{Markup.Escape(version.Reference)}[/]: {version.Labels.Count} classes, {shape.Channels}x{shape.Height}x{shape.Width} input"
                + (request.RunId is not null ? $", and moved [bold]{Markup.Escape(version.Model)}@production[/] to it."
                    : kind == Logits ? ", softmax appended to its logits." : "."));
            return ExitCodes.Success;
        }));
        return command;
    }

    private static string Require(ParseResult parse, Option<string> option) =>
        parse.GetValue(option) ?? throw new InvalidInputException($"{option.Name}: required unless --run is given (maas models register NAME --onnx F --pipeline F --labels F).");

    private static ClassifierOutputs ParseOutputs(string kind) => kind switch
    {
        Logits => ClassifierOutputs.Logits,
        Probabilities => ClassifierOutputs.Probabilities,
        _ => throw new InvalidInputException($"--outputs '{kind}': give {Logits} or {Probabilities}."),
    };
}
