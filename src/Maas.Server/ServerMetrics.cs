using System.Globalization;
using System.Text;

namespace Maas.Server;

/// <summary>What the server counts and times, exposed at <c>/metrics</c> in the Prometheus text format.</summary>
public sealed class ServerMetrics
{
    /// <summary>Prediction requests by API, model, version and HTTP status.</summary>
    public PrometheusCounter Requests { get; } = new("maas_requests_total", "Prediction requests by API, model, version and HTTP status.", "api", "model", "version", "status");

    /// <summary>Seconds spent decoding and preprocessing one image.</summary>
    public PrometheusHistogram Preprocessing { get; } = new("maas_preprocess_seconds", "Seconds spent decoding and preprocessing one image.", "model", "version");

    /// <summary>Seconds spent in ONNX Runtime per request.</summary>
    public PrometheusHistogram Inference { get; } = new("maas_inference_seconds", "Seconds spent in ONNX Runtime per request.", "model", "version");

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
        Predictions.WriteTo(text);
        var loaded = catalog.Loaded;
        text.Append("# HELP maas_loaded_models Model versions loaded and serving.\n# TYPE maas_loaded_models gauge\n");
        text.Append(CultureInfo.InvariantCulture, $"maas_loaded_models {loaded.Count}\n");
        text.Append("# HELP maas_model_loaded 1 for each model version loaded.\n# TYPE maas_model_loaded gauge\n");
        foreach (var version in loaded.OrderBy(v => v.Reference, StringComparer.Ordinal))
        {
            text.Append(CultureInfo.InvariantCulture, $"maas_model_loaded{PrometheusText.Labels(["model", "version"], [version.Model, version.Version.ToString(CultureInfo.InvariantCulture)])} 1\n");
        }

        return text.ToString();
    }
}
