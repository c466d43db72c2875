using System.CommandLine;
using System.Text.Json;
using Maas.Core;
using Maas.Core.Errors;
using Maas.Core.Models;
using Maas.Core.Pipelines;
using Maas.Imaging;
using Maas.Inference;
using Maas.Training.Export;
using Spectre.Console;

namespace Maas.Cli.Commands;

/// <summary><c>maas models register NAME --onnx F --pipeline F --labels F</c>: registers a classifier trained elsewhere.</summary>
internal static class ModelsRegisterCommand
{
    private const string Logits = "logits";
    private const string Probabilities = "probabilities";

    private sealed record Registered(string Reference, string Model, int Version, string Input, string Output, string Outputs, IReadOnlyList<string> Labels, string ArtifactPath);

    public static Command Create()
    {
        var name = new Argument<string>("name") { Description = "The model name; registering into an existing name makes its next version." };
        var onnx = new Option<string>("--onnx") { Description = "The ONNX classifier: one float [N,C,H,W] input, one [N,classes] output.", Required = true };
        var pipeline = new Option<string>("--pipeline") { Description = "The pipeline spec (JSON or YAML) that turns an image into the model's input.", Required = true };
        var labels = new Option<string>("--labels") { Description = "Class names in output order: a .json array of strings, or a text file with one per line.", Required = true };
        var outputs = new Option<string>("--outputs") { Description = "What the output holds: logits (a softmax is appended for serving) or probabilities.", DefaultValueFactory = _ => Logits };
        var command = new Command("register", "Register an existing ONNX image classifier with its pipeline and labels as the next version of a model.")
        {
            name, onnx, pipeline, labels, outputs,
        };
        command.SetAction(CliContext.Action(async (parse, ct) =>
        {
            var model = parse.GetValue(name)!;
            VersionedName.ValidateName(model, "model name");
            var kind = parse.GetValue(outputs)!;
            if (kind is not (Logits or Probabilities))
            {
                throw new InvalidInputException($"--outputs '{kind}': give {Logits} or {Probabilities}.");
            }

            var onnxPath = parse.GetValue(onnx)!;
            if (!File.Exists(onnxPath))
            {
                throw new NotFoundException($"--onnx {onnxPath}: no such file.");
            }

            var spec = PipelineSpec.Load(parse.GetValue(pipeline)!).Validate();
            if (spec.HasAutoNormalization)
            {
                throw new InvalidInputException($"--pipeline {parse.GetValue(pipeline)}: normalize with mean or std 'auto' needs training data; give the numbers the model was trained with.");
            }

            var classNames = ReadLabels(parse.GetValue(labels)!);
            var shape = new PipelineExecutor(spec).Shape;
            var signature = ClassifierSignature.Read(onnxPath, shape, classNames.Count);
            if (kind == Probabilities && !signature.SumsToOne)
            {
                throw new InvalidInputException($"--onnx {onnxPath}: output '{signature.OutputName}' does not sum to 1 on a sample input, so it is not probabilities; register it with --outputs {Logits}.");
            }

            if (kind == Logits && signature.SumsToOne)
            {
                Console.Error.WriteLine($"warning: output '{signature.OutputName}' sums to 1 on a sample input; if it already holds probabilities, register it with --outputs {Probabilities}.");
            }

            var bytes = await File.ReadAllBytesAsync(onnxPath, ct);
            if (kind == Logits)
            {
                bytes = OnnxSoftmax.AppendProbabilities(bytes, signature.OutputName);
            }

            using var stores = CliContext.OpenStores();
            var staging = Path.Combine(stores.Home.ArtifactsPath, ".staging", Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(staging);
            ModelVersion version;
            try
            {
                await File.WriteAllBytesAsync(Path.Combine(staging, ModelVersion.OnnxFileName), bytes, ct);
                await File.WriteAllTextAsync(Path.Combine(staging, ModelVersion.PipelineFileName), spec.ToJson(), ct);
                await File.WriteAllTextAsync(Path.Combine(staging, ModelVersion.LabelsFileName), JsonSerializer.Serialize(classNames), ct);

                // Loaded exactly as the server will load it, so a version that registers also serves.
                var candidate = new ModelVersion(model, 0, null, null, staging, classNames, new Dictionary<string, double>(), DateTimeOffset.UtcNow);
                using (var loaded = new LoadedModel(candidate, staging))
                {
                    loaded.WarmUp();
                }

                version = await stores.Models.RegisterAsync(model, staging, null, null, classNames, new Dictionary<string, double>(), ct);
            }
            finally
            {
                if (Directory.Exists(staging))
                {
                    Directory.Delete(staging, recursive: true);
                }
            }

            var result = new Registered(version.Reference, version.Model, version.Version, signature.InputName,
                kind == Logits ? OnnxExporter.ProbabilitiesName : signature.OutputName, kind, classNames, stores.Models.ArtifactPath(version));
            if (parse.GetValue(CliContext.Json))
            {
                CliContext.WriteJson(result);
                return ExitCodes.Success;
            }

            AnsiConsole.MarkupLine($"Registered [bold green]{Markup.Escape(result.Reference)}[/]: {classNames.Count} classes, {shape.Channels}x{shape.Height}x{shape.Width} input"
                + (kind == Logits ? ", softmax appended to its logits." : "."));
            return ExitCodes.Success;
        }));
        return command;
    }

    private static List<string> ReadLabels(string path)
    {
        if (!File.Exists(path))
        {
            throw new NotFoundException($"--labels {path}: no such file.");
        }

        List<string> labels;
        if (Path.GetExtension(path).Equals(".json", StringComparison.OrdinalIgnoreCase))
        {
            try
            {
                labels = JsonSerializer.Deserialize<List<string>>(File.ReadAllText(path)) ?? [];
            }
            catch (JsonException e)
            {
                throw new InvalidInputException($"--labels {path}: not a JSON array of strings ({e.Message}).");
            }
        }
        else
        {
            labels = File.ReadAllLines(path).Select(l => l.Trim()).Where(l => l.Length > 0).ToList();
        }

        if (labels.Count < 2)
        {
            throw new InvalidInputException($"--labels {path}: a classifier needs 2 or more labels, found {labels.Count}.");
        }

        if (labels.Any(string.IsNullOrWhiteSpace))
        {
            throw new InvalidInputException($"--labels {path}: a label is empty.");
        }

        var duplicate = labels.GroupBy(l => l, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        return duplicate is null ? labels : throw new InvalidInputException($"--labels {path}: '{duplicate.Key}' is listed more than once.");
    }
}
