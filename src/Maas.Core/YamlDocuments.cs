using Maas.Core.Pipelines;

namespace Maas.Core;

/// <summary>Reads YAML files that share a JSON schema (pipelines, search spaces): the document becomes its JSON equivalent.</summary>
public static class YamlDocuments
{
    /// <summary>The JSON text of a YAML document; plain scalars that read as numbers, booleans or null become those.</summary>
    /// <param name="yaml">The YAML text.</param>
    /// <param name="source">What to call the document in an error message (its path).</param>
    /// <exception cref="Errors.InvalidInputException">The YAML is malformed or empty.</exception>
    public static string ToJson(string yaml, string source) => PipelineYaml.ToJson(yaml, source);
}
