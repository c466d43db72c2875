using System.Text.Json;
using System.Text.Json.Serialization;

namespace Maas.Core.Pipelines;

/// <summary>Reads normalize's mean and std either as numbers or as the string <c>"auto"</c>, held as an empty list.</summary>
internal sealed class AutoStatisticsConverter : JsonConverter<IReadOnlyList<float>>
{
    public const string Auto = "auto";

    public override IReadOnlyList<float>? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.String)
        {
            return reader.GetString() == Auto ? [] : throw new JsonException($"expected numbers or \"{Auto}\", not \"{reader.GetString()}\"");
        }

        if (reader.TokenType == JsonTokenType.Number)
        {
            return [reader.GetSingle()];
        }

        return JsonSerializer.Deserialize<float[]>(ref reader, options);
    }

    public override void Write(Utf8JsonWriter writer, IReadOnlyList<float> value, JsonSerializerOptions options)
    {
        if (value.Count == 0)
        {
            writer.WriteStringValue(Auto);
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
