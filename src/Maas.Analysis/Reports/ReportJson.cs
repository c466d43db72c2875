using System.Text.Json;
using System.Text.Json.Serialization;

namespace Maas.Analysis.Reports;

/// <summary>The JSON form of reports: snake_case names and enum values, as the CLI's <c>--json</c> output.</summary>
public static class ReportJson
{
    /// <summary>The serializer options reports are written and read with.</summary>
    public static JsonSerializerOptions Options { get; } = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DictionaryKeyPolicy = null,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary>Writes <paramref name="report"/> as JSON.</summary>
    public static string Serialize(AnalysisReport report) => JsonSerializer.Serialize(report, Options);

    /// <summary>Reads a report written by <see cref="Serialize"/>.</summary>
    /// <exception cref="Maas.Core.Errors.InvalidInputException">The text is not such a report.</exception>
    public static AnalysisReport Deserialize(string json, string source)
    {
        try
        {
            return JsonSerializer.Deserialize<AnalysisReport>(json, Options)
                ?? throw new Maas.Core.Errors.InvalidInputException($"{source}: empty analysis report.");
        }
        catch (JsonException e)
        {
            throw new Maas.Core.Errors.InvalidInputException($"{source}: not an analysis report ({e.Message}).", e);
        }
    }
}
