using Maas.Core.Errors;
using Maas.Core.Pipelines;
using Maas.Testing;

namespace Maas.Core.Tests;

public sealed class PipelineYamlTests : IDisposable
{
    private const string Yaml = """
        format_version: 1
        ops:
          - op: decode
            color: rgb
          - op: random_resized_crop
            width: 224
            height: 224
            scale: [0.2, 1.0]
          - op: horizontal_flip
          - op: color_jitter
            brightness: 0.4
            contrast: [0.8, 1.2]
          - op: normalize
            mean: auto
            std: auto
        """;

    private readonly TempFolder _temp = new();

    [Fact]
    public void Load_YamlFile_ReadsTheSameSpecAsItsJson()
    {
        var path = _temp.Combine("pipeline.yaml");
        File.WriteAllText(path, Yaml);

        var spec = PipelineSpec.Load(path);

        var jsonPath = _temp.Combine("pipeline.json");
        File.WriteAllText(jsonPath, spec.ToJson());
        Assert.Equal(spec.ToJson(), PipelineSpec.Load(jsonPath).ToJson());
        Assert.Equal(["decode", "random_resized_crop", "horizontal_flip", "color_jitter", "normalize"], spec.Ops.Select(o => o.Name));
        Assert.Equal([0.2, 1.0], Assert.IsType<RandomResizedCropOp>(spec.Ops[1]).Scale);
        Assert.True(spec.HasAutoNormalization);
    }

    [Fact]
    public void FromYaml_BadOp_IsRejectedNamingTheOpAndTheFile()
    {
        var error = Assert.Throws<InvalidInputException>(() => PipelineSpec.FromYaml(Yaml.Replace("scale: [0.2, 1.0]", "scale: [1.0, 0.2]", StringComparison.Ordinal), "p.yml"));

        Assert.Contains("pipeline op 1 (random_resized_crop): scale [1, 0.2] is empty", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromYaml_DraftDecode_ReadsAsItsJsonAndRejectsANonBoolean()
    {
        var yaml = Yaml.Replace("color: rgb", "color: rgb\n    draft: true", StringComparison.Ordinal);

        var spec = PipelineSpec.FromYaml(yaml, "p.yml");

        Assert.True(spec.Decode.Draft);
        Assert.Equal(spec.ToJson(), PipelineSpec.FromJson(spec.ToJson()).ToJson());
        var error = Assert.Throws<InvalidInputException>(() => PipelineSpec.FromYaml(yaml.Replace("draft: true", "draft: yes", StringComparison.Ordinal), "p.yml"));
        Assert.Contains("$.ops[0].draft", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromYaml_MalformedYaml_SaysWhereInTheFile()
    {
        var error = Assert.Throws<InvalidInputException>(() => PipelineSpec.FromYaml("ops: [\n  - op: decode", "p.yml"));

        Assert.StartsWith("p.yml: line", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_MissingFile_IsNotFound()
    {
        Assert.Throws<NotFoundException>(() => PipelineSpec.Load(_temp.Combine("absent.yaml")));
    }

    public void Dispose() => _temp.Dispose();
}
