using Maas.Core.Datasets;
using Maas.Core.Errors;
using Maas.Inference;
using Maas.Storage;
using Maas.Storage.Locking;
using Maas.Training.Evaluation;

namespace Maas.Workflows.Evaluation;

/// <summary>
/// Runs a registered ONNX model through ONNX Runtime, with the pipeline stored beside it, over one split of a
/// dataset version, and scores it; optionally calibrates it by temperature scaling on the validation split.
/// </summary>
/// <param name="stores">The stores the model, the dataset and its images are read from.</param>
public sealed class EvaluateModel(MaasStores stores)
{
    // Images per ONNX Runtime call: large enough to amortize the call, small enough to keep one batch in cache-sized memory.
    private const int BatchSize = 256;

    /// <summary>Scores <see cref="EvaluateModelRequest.Model"/> on <see cref="EvaluateModelRequest.Split"/> of <see cref="EvaluateModelRequest.Dataset"/>.</summary>
    /// <param name="request">The model, the dataset split, k and whether to calibrate.</param>
    /// <param name="progress">Receives images evaluated per split, if given.</param>
    /// <param name="cancellationToken">Cancels between batches.</param>
    /// <returns>The scores, and the calibration when asked for.</returns>
    /// <exception cref="InvalidInputException">k is below 1, the split is empty, calibration has no validation split, or the dataset has a class the model does not predict.</exception>
    /// <exception cref="NotFoundException">No such model or dataset version.</exception>
    public async Task<ModelEvaluation> RunAsync(EvaluateModelRequest request, IProgress<StageProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        // Shared: it reads images that a dataset removal or gc (exclusive) may delete.
        using var homeLock = await HomeLock.AcquireSharedAsync(stores.Home, $"evaluating {request.Model} on {request.Dataset}", cancellationToken);
        int k = request.TopK;
        if (k < 1)
        {
            throw new InvalidInputException($"--top-k {k}: give 1 or more.");
        }

        var version = await stores.Models.ResolveAsync(request.Model, cancellationToken);
        var dataset = await stores.Datasets.GetVersionAsync(request.Dataset, cancellationToken);
        var samples = await stores.Datasets.GetSamplesAsync(dataset.Name, dataset.Version, cancellationToken);
        using var loaded = new LoadedModel(version, stores.Models.ArtifactPath(version));
        if (request.Calibrate && !samples.Any(s => s.Split == Split.Validation))
        {
            throw new InvalidInputException($"--calibrate: dataset {dataset.Reference} has no validation split to fit the temperature on.");
        }

        return await Task.Run(() =>
        {
            var (probabilities, labels) = Predict(loaded, dataset, samples, request.Split, progress, cancellationToken);
            var scores = ProbabilityScoring.Score(probabilities, labels, version.Labels, k);
            CalibrationReport? calibration = null;
            if (request.Calibrate)
            {
                var (fitProbabilities, fitLabels) = Predict(loaded, dataset, samples, Split.Validation, progress, cancellationToken);
                calibration = Calibrate(fitProbabilities, fitLabels, probabilities, labels, version.Labels, scores);
            }

            return new ModelEvaluation(version.Reference, dataset.Reference, request.Split.ToName(), version.Labels, scores, calibration);
        }, cancellationToken);
    }

    /// <summary>The model's probabilities for every sample of one split, and the samples' labels as the model's class indices.</summary>
    private (float[] Probabilities, int[] Labels) Predict(LoadedModel loaded, DatasetVersion dataset, IReadOnlyList<Sample> samples,
        Split split, IProgress<StageProgress>? progress, CancellationToken cancellationToken)
    {
        var selected = samples.Where(s => s.Split == split).ToList();
        if (selected.Count == 0)
        {
            throw new InvalidInputException($"dataset {dataset.Reference} has no {split.ToName()} split.");
        }

        // The dataset's class order need not be the model's: match classes by name.
        var modelIndex = loaded.Version.Labels.Select((label, i) => (label, i)).ToDictionary(p => p.label, p => p.i, StringComparer.Ordinal);
        var labels = new int[selected.Count];
        for (int i = 0; i < selected.Count; i++)
        {
            var name = dataset.Classes[selected[i].Label];
            if (!modelIndex.TryGetValue(name, out labels[i]))
            {
                throw new InvalidInputException(
                    $"dataset {dataset.Reference} has class '{name}', which {loaded.Version.Reference} does not predict (its labels: {string.Join(", ", loaded.Version.Labels)}).");
            }
        }

        var stage = $"evaluating on {split.ToName()}";
        var size = loaded.InputShape.Length;
        var classes = loaded.ClassCount;
        var pixels = new float[BatchSize * size];
        var probabilities = new float[selected.Count * classes];
        for (int start = 0; start < selected.Count; start += BatchSize)
        {
            cancellationToken.ThrowIfCancellationRequested();
            int count = Math.Min(BatchSize, selected.Count - start);
            int first = start;
            loaded.Pipeline.RunMany(count, i => (stores.Blobs.Get(selected[first + i].BlobHash), selected[first + i].SampleId), pixels, null, cancellationToken);
            loaded.Run(pixels, count).AsSpan(0, count * classes).CopyTo(probabilities.AsSpan(start * classes));
            progress?.Report(new StageProgress(stage, start + count, selected.Count));
        }

        return (probabilities, labels);
    }

    private static CalibrationReport Calibrate(float[] fitProbabilities, int[] fitLabels, float[] probabilities, int[] labels,
        IReadOnlyList<string> classNames, ProbabilityReport before)
    {
        int k = classNames.Count;
        // ONNX models give probabilities; ln p are logits up to a per-row constant, which softmax ignores.
        var temperature = TemperatureScaling.Fit(TemperatureScaling.LogitsOf(fitProbabilities), fitLabels, k);
        var after = ProbabilityScoring.Score(TemperatureScaling.Apply(TemperatureScaling.LogitsOf(probabilities), k, temperature), labels, classNames, before.TopK);
        return new CalibrationReport(temperature, Split.Validation.ToName(), fitLabels.Length, before.ExpectedCalibrationError, after.ExpectedCalibrationError,
            before.Report.Loss ?? 0, after.Report.Loss ?? 0);
    }
}
