using System.Text.Json;
using System.Text.Json.Serialization;

namespace Maas.Core.Pipelines;

/// <summary>
/// Reads a jitter factor written either as one number (torchvision's shorthand, kept as one value) or as a
/// [min, max] pair, and writes it back in the form it was given.
/// </summary>
internal sealed class FactorRangeConverter : JsonConverter<IReadOnlyList<double>>
{
    public override IReadOnlyList<double>? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.Number)
        {
            return [reader.GetDouble()];
        }

        return JsonSerializer.Deserialize<double[]>(ref reader, options);
    }

    public override void Write(Utf8JsonWriter writer, IReadOnlyList<double> value, JsonSerializerOptions options)
    {
        if (value.Count == 1)
        {
            writer.WriteNumberValue(value[0]);
            return;
        }

        writer.WriteStartArray();
        foreach (var v in value)
        {
            writer.WriteNumberValue(v);
        }

        writer.WriteEndArray();
    }
}
