using System.Text.Json;
using Maas.Core;
using Maas.Core.Errors;
using Maas.Core.Models;
using Maas.Core.Pipelines;
using Maas.Core.Runs;
using Maas.Imaging;
using Maas.Inference;
using Maas.Storage;
using Maas.Storage.Locking;
using Maas.Training.Export;

namespace Maas.Workflows.Models;

/// <summary>
/// <c>maas models register</c>, and the registration at the end of <c>maas train --register</c>: stage the model
/// as a <see cref="ModelBundle"/>, verify it, load and warm it up exactly as the server will, then commit the
/// version (and any alias moves) in one transaction. Nothing is kept when any step fails.
/// </summary>
/// <param name="stores">The home's stores.</param>
public sealed class RegistrationJob(MaasStores stores)
{
    /// <summary>Registers what <paramref name="request"/> names.</summary>
    /// <exception cref="InvalidInputException">The request names both or neither source, or the files are not a usable classifier.</exception>
    /// <exception cref="NotFoundException">A file or the run does not exist.</exception>
    /// <exception cref="ConflictException">The run is not completed, so it exported nothing.</exception>
    public async Task<RegistrationOutcome> RunAsync(RegistrationRequest request, IProgress<string>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        VersionedName.ValidateName(request.Model, "model name");
        progress?.Report("checking");
        var warnings = new List<string>();
        var contents = request switch
        {
            { RunId: { } runId, Files: null } => await FromRunAsync(runId, cancellationToken),
            { RunId: null, Files: { } files } => await FromFilesAsync(files, warnings, cancellationToken),
            _ => throw new InvalidInputException(
                $"registering '{request.Model}': give either a completed run (--run RUN) or an ONNX file with its pipeline and labels (--onnx, --pipeline, --labels), not both."),
        };

        // Shared: a registration reads run files and writes artifacts that gc (exclusive) sweeps.
        using var homeLock = await HomeLock.AcquireSharedAsync(stores.Home, $"registering {request.Model}", cancellationToken);
        // The registry takes ownership of a staged copy, moved into place atomically. The lease's lock marks the copy
        // as in use; one a killed process left is removed by the next writer, and the lease removes what is left.
        using var lease = new StagingArea(stores.Home.StagingPath).Reserve("model");
        var staging = lease.Path;
        progress?.Report("writing");
        // No read-back: the manifest's hashes were taken from these very bytes as they were written and synced.
        var bundle = await ModelBundle.WriteAsync(staging, contents, cancellationToken);

        // Loaded exactly as the server will load it, so a version that registers also serves.
        var candidate = new ModelVersion(request.Model, 0, null, null, staging, contents.Labels, new Dictionary<string, double>(), DateTimeOffset.UtcNow);
        string inputName, outputName;
        TensorShape shape;
        using (var loaded = new LoadedModel(candidate, bundle.ReadPipeline(), bundle.OnnxPath))
        {
            loaded.WarmUp();
            (inputName, outputName, shape) = (loaded.InputName, loaded.OutputName, loaded.InputShape);
        }

        progress?.Report("registering");
        var metadata = contents.Metadata;
        var version = await stores.Models.RegisterAsync(new ModelRegistration(request.Model, staging, contents.Labels)
        {
            RunId = metadata.RunId,
            Dataset = metadata.Dataset,
            Metrics = metadata.Metrics,
            Aliases = request.Aliases,
            AliasReason = metadata.RunId is { } run ? $"registered by {run}" : "registered",
        }, cancellationToken);
        return new RegistrationOutcome(version, stores.Models.ArtifactPath(version), inputName, outputName, shape, request.Aliases, warnings);
    }

    private async Task<ModelBundleContents> FromRunAsync(string runId, CancellationToken cancellationToken)
    {
        var run = await stores.Runs.GetAsync(runId, cancellationToken);
        if (run.Status != RunStatus.Completed)
        {
            throw new ConflictException($"run '{runId}' is {run.Status.ToString().ToLowerInvariant()}; only a completed run has a model to register.");
        }

        var exported = ModelBundle.Open(Path.Combine(stores.Home.ArtifactsPath, run.ArtifactDir));
        exported.Verify(cancellationToken);
        var pipeline = exported.ReadPipeline();
        var shape = new PipelineExecutor(pipeline).Shape;
        var extra = new Dictionary<string, ReadOnlyMemory<byte>>();
        foreach (var name in exported.ExtraFileNames)
        {
            extra[name] = await exported.ReadFileAsync(name, cancellationToken);
        }

        return new ModelBundleContents(await exported.ReadFileAsync(ModelVersion.OnnxFileName, cancellationToken), pipeline, exported.ReadLabels(),
            new ModelBundleMetadata(ModelBundleMetadata.Trained, run.Id, run.Dataset, [shape.Channels, shape.Height, shape.Width], run.Metrics, DateTimeOffset.UtcNow))
        {
            Files = extra,
        };
    }

    private static async Task<ModelBundleContents> FromFilesAsync(ExternalModelFiles files, List<string> warnings, CancellationToken cancellationToken)
    {
        if (!File.Exists(files.OnnxPath))
        {
            throw new NotFoundException($"--onnx {files.OnnxPath}: no such file.");
        }

        var spec = PipelineSpec.Load(files.PipelinePath).Validate();
        if (spec.HasAutoNormalization)
        {
            throw new InvalidInputException($"--pipeline {files.PipelinePath}: normalize with mean or std 'auto' needs training data; give the numbers the model was trained with.");
        }

        var labels = ReadLabels(files.LabelsPath);
        var shape = new PipelineExecutor(spec).Shape;
        var signature = ClassifierSignature.Read(files.OnnxPath, shape, labels.Count);
        if (files.Outputs == ClassifierOutputs.Probabilities && !signature.SumsToOne)
        {
            throw new InvalidInputException($"--onnx {files.OnnxPath}: output '{signature.OutputName}' does not sum to 1 on a sample input, so it is not probabilities; register it with --outputs logits.");
        }

        if (files.Outputs == ClassifierOutputs.Logits && signature.SumsToOne)
        {
            warnings.Add($"output '{signature.OutputName}' sums to 1 on a sample input; if it already holds probabilities, register it with --outputs probabilities.");
        }

        var bytes = await File.ReadAllBytesAsync(files.OnnxPath, cancellationToken);
        if (files.Outputs == ClassifierOutputs.Logits)
        {
            bytes = OnnxSoftmax.AppendProbabilities(bytes, signature.OutputName);
        }

        return new ModelBundleContents(bytes, spec, labels,
            new ModelBundleMetadata(ModelBundleMetadata.External, null, null, [shape.Channels, shape.Height, shape.Width], new Dictionary<string, double>(), DateTimeOffset.UtcNow));
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
