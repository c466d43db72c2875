using System.Globalization;
using System.Text;
using Maas.Core.Models;
using Maas.Inference;
using Maas.Server.Deployments;

namespace Maas.Server.Metrics;

/// <summary>What the server counts and times, exposed at <c>/metrics</c> in the Prometheus text format.</summary>
public sealed class ServerMetrics : IBatchObserver
{
    // Powers of two up to twice the default maximum batch size of 32.
    private static readonly double[] s_batchBounds = [1, 2, 4, 8, 16, 32, 64, 128, 256];

    /// <summary>Prediction requests by API, model, version and HTTP status.</summary>
    public PrometheusCounter Requests { get; } = new("maas_requests_total", "Prediction requests by API, model, version and HTTP status.", "api", "model", "version", "status");

    /// <summary>Seconds spent decoding and preprocessing one image.</summary>
    public PrometheusHistogram Preprocessing { get; } = new("maas_preprocess_seconds", "Seconds spent decoding and preprocessing one image.", "model", "version");

    /// <summary>Seconds spent in ONNX Runtime per batch run.</summary>
    public PrometheusHistogram Inference { get; } = new("maas_inference_seconds", "Seconds spent in ONNX Runtime per batch run.", "model", "version");

    /// <summary>Images per ONNX Runtime run; its count is the number of runs.</summary>
    public PrometheusHistogram BatchSize { get; } = new("maas_batch_size", "Images per ONNX Runtime run.", s_batchBounds, "model", "version");

    /// <summary>Seconds a request waited in its deployment's queue before its batch ran.</summary>
    public PrometheusHistogram QueueWait { get; } = new("maas_queue_seconds", "Seconds a request waited in the batching queue before its batch ran.", "model", "version");

    /// <summary>Requests refused with 503 because the deployment's queue was full.</summary>
    public PrometheusCounter Rejected { get; } = new("maas_queue_rejected_total", "Requests refused because the deployment's queue was full.", "model", "version");

    /// <summary>Predictions by most probable class.</summary>
    public PrometheusCounter Predictions { get; } = new("maas_predictions_total", "Images classified, by most probable class.", "model", "version", "class");

    /// <summary>The exposition text, with the loaded-model gauge taken from <paramref name="catalog"/> now.</summary>
    public string Render(ModelCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        var text = new StringBuilder();
        Requests.WriteTo(text);
        Preprocessing.WriteTo(text);
        Inference.WriteTo(text);
        BatchSize.WriteTo(text);
        QueueWait.WriteTo(text);
        Rejected.WriteTo(text);
        Predictions.WriteTo(text);
        var models = catalog.LoadedModels;
        text.Append("# HELP maas_queue_depth Requests waiting for a batch, by model version.\n# TYPE maas_queue_depth gauge\n");
        foreach (var model in models.OrderBy(m => m.Version.Reference, StringComparer.Ordinal))
        {
            text.Append(CultureInfo.InvariantCulture, $"maas_queue_depth{PrometheusText.Labels(["model", "version"], [model.Version.Model, model.Version.Version.ToString(CultureInfo.InvariantCulture)])} {model.QueueDepth}\n");
        }

        var loaded = models.Select(m => m.Version).ToList();
        text.Append("# HELP maas_loaded_models Model versions loaded and serving.\n# TYPE maas_loaded_models gauge\n");
        text.Append(CultureInfo.InvariantCulture, $"maas_loaded_models {loaded.Count}\n");
        text.Append("# HELP maas_model_loaded 1 for each model version loaded.\n# TYPE maas_model_loaded gauge\n");
        foreach (var version in loaded.OrderBy(v => v.Reference, StringComparer.Ordinal))
        {
            text.Append(CultureInfo.InvariantCulture, $"maas_model_loaded{PrometheusText.Labels(["model", "version"], [version.Model, version.Version.ToString(CultureInfo.InvariantCulture)])} 1\n");
        }

        return text.ToString();
    }

    /// <summary>Times each image's preprocessing and counts each image's most probable class.</summary>
    public void Observe(ModelVersion version, IReadOnlyList<ImageClassification> results)
    {
        ArgumentNullException.ThrowIfNull(version);
        ArgumentNullException.ThrowIfNull(results);
        var number = version.Version.ToString(CultureInfo.InvariantCulture);
        foreach (var result in results)
        {
            if (result.PreprocessTime is { } time)
            {
                Preprocessing.Observe(time.TotalSeconds, version.Model, number);
            }

            Predictions.Increment(version.Model, number, result.Top[0].Label);
        }
    }

    /// <inheritdoc />
    public void OnBatch(ModelVersion version, BatchRun run)
    {
        ArgumentNullException.ThrowIfNull(version);
        ArgumentNullException.ThrowIfNull(run);
        var number = version.Version.ToString(CultureInfo.InvariantCulture);
        BatchSize.Observe(run.Size, version.Model, number);
        Inference.Observe(run.RunTime.TotalSeconds, version.Model, number);
        foreach (var wait in run.QueueWaits)
        {
            QueueWait.Observe(wait.TotalSeconds, version.Model, number);
        }
    }

    /// <inheritdoc />
    public void OnRejected(ModelVersion version)
    {
        ArgumentNullException.ThrowIfNull(version);
        Rejected.Increment(version.Model, version.Version.ToString(CultureInfo.InvariantCulture));
    }
}
