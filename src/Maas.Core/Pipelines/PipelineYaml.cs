using System.Globalization;
using System.Text.Json.Nodes;
using Maas.Core.Errors;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Maas.Core.Pipelines;

/// <summary>
/// Reads a pipeline written in YAML by turning the document into the equivalent JSON, so that both spellings share
/// one schema, one set of names and one validation. Plain scalars that read as numbers, booleans or null become those;
/// quoted scalars stay strings.
/// </summary>
internal static class PipelineYaml
{
    public static string ToJson(string yaml, string source)
    {
        try
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(yaml));
            if (stream.Documents.Count == 0)
            {
                throw new InvalidInputException($"{source}: the document is empty.");
            }

            return (Convert(stream.Documents[0].RootNode) ?? throw new InvalidInputException($"{source}: the document is empty.")).ToJsonString();
        }
        catch (YamlException e)
        {
            throw new InvalidInputException($"{source}: line {e.Start.Line}, column {e.Start.Column}: {e.Message}", e);
        }
    }

    private static JsonNode? Convert(YamlNode node) => node switch
    {
        YamlMappingNode mapping => new JsonObject(mapping.Children.Select(pair =>
            KeyValuePair.Create(((YamlScalarNode)pair.Key).Value ?? "", Convert(pair.Value)))),
        YamlSequenceNode sequence => new JsonArray([.. sequence.Children.Select(Convert)]),
        YamlScalarNode scalar => Scalar(scalar),
        _ => throw new InvalidInputException($"unsupported YAML node at line {node.Start.Line}"),
    };

    private static JsonNode? Scalar(YamlScalarNode scalar)
    {
        var text = scalar.Value ?? "";
        if (scalar.Style is not ScalarStyle.Plain)
        {
            return JsonValue.Create(text);
        }

        if (text is "" or "~" or "null" or "Null" or "NULL")
        {
            return null;
        }

        if (text is "true" or "True" or "TRUE" or "false" or "False" or "FALSE")
        {
            return JsonValue.Create(text.Equals("true", StringComparison.OrdinalIgnoreCase));
        }

        if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer))
        {
            return JsonValue.Create(integer);
        }

        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && double.IsFinite(number)
            ? JsonValue.Create(number)
            : JsonValue.Create(text);
    }
}
