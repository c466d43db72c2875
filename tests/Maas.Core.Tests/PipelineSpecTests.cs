using Maas.Core.Errors;
using Maas.Core.Pipelines;

namespace Maas.Core.Tests;

public class PipelineSpecTests
{
    [Fact]
    public void ToJson_ThenFromJson_RoundTripsEveryOp()
    {
        var spec = new PipelineSpec([new DecodeOp(ColorMode.Rgb), new ResizeOp(32, 24, Interpolation.Nearest), new NormalizeOp([0.1f, 0.2f, 0.3f], [0.5f, 0.6f, 0.7f])]);

        var json = spec.ToJson();
        var back = PipelineSpec.FromJson(json);

        Assert.Contains("\"op\": \"resize\"", json, StringComparison.Ordinal);
        Assert.Equal(spec.Ops[0], back.Ops[0]);
        Assert.Equal(spec.Ops[1], back.Ops[1]);
        var normalize = Assert.IsType<NormalizeOp>(back.Ops[2]);
        Assert.Equal([0.1f, 0.2f, 0.3f], normalize.Mean);
        Assert.Equal([0.5f, 0.6f, 0.7f], normalize.Std);
    }

    [Theory]
    [InlineData("""{"ops":[{"op":"resize","width":28,"height":28}]}""", "op 0 must be 'decode'")]
    [InlineData("""{"ops":[{"op":"decode","color":"gray"},{"op":"resize","width":0,"height":28}]}""", "op 1 (resize)")]
    [InlineData("""{"ops":[{"op":"decode","color":"gray"},{"op":"normalize","mean":[0.5],"std":[0]}]}""", "op 1 (normalize)")]
    [InlineData("""{"ops":[{"op":"decode","color":"gray"},{"op":"normalize","mean":[0.5,0.5,0.5],"std":[1,1,1]}]}""", "3 mean values for a 1-channel image")]
    [InlineData("""{"ops":[{"op":"decode"},{"op":"sharpen"}]}""", "pipeline.json")]
    [InlineData("""{"ops":[""", "pipeline.json")]
    public void FromJson_BadSpec_IsRejectedWithTheProblem(string json, string expected)
    {
        var error = Assert.ThrowsAny<InvalidInputException>(() => PipelineSpec.FromJson(json, "pipeline.json"));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ToJson_DraftDecode_RoundTripsAndChangesTheText()
    {
        var plain = new PipelineSpec([new DecodeOp(ColorMode.Rgb), ResizeOp.ToShorterSide(256), new CenterCropOp(224, 224)]);
        var draft = plain with { Ops = [new DecodeOp(ColorMode.Rgb, Draft: true), .. plain.Ops.Skip(1)] };

        var json = draft.ToJson();

        Assert.Contains("\"draft\": true", json, StringComparison.Ordinal);
        Assert.True(PipelineSpec.FromJson(json).Decode.Draft);
        // The text names a spec in the shard cache's key and the model's pipeline file: draft must change it, and a
        // spec without draft must keep the text it had before the option existed.
        Assert.DoesNotContain("draft", plain.ToJson(), StringComparison.Ordinal);
        Assert.NotEqual(plain.ToJson(), json);
        Assert.False(PipelineSpec.FromJson(plain.ToJson()).Decode.Draft);
    }

    [Theory]
    [InlineData("\"yes\"")]
    [InlineData("1")]
    [InlineData("null")]
    public void FromJson_DraftNotABoolean_IsRejectedNamingTheOpAndTheField(string value)
    {
        var json = $$"""{"ops":[{"op":"decode","draft":{{value}}},{"op":"resize","width":8,"height":8}]}""";

        var error = Assert.Throws<InvalidInputException>(() => PipelineSpec.FromJson(json, "pipeline.json"));

        // As for a wrongly typed value of any op: System.Text.Json's message, with the op's index and the field in its path.
        Assert.StartsWith("pipeline.json: The JSON value could not be converted", error.Message, StringComparison.Ordinal);
        Assert.Contains("Path: $.ops[0].draft", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DraftResize_IsOpOneOnlyWhenItIsAResizeAndDraftIsAsked()
    {
        var resize = ResizeOp.ToShorterSide(256);
        PipelineSpec Spec(bool draft, params PipelineOp[] rest) => new([new DecodeOp(ColorMode.Rgb, draft), .. rest]);

        Assert.Same(resize, Spec(true, resize, new CenterCropOp(224, 224)).DraftResize);
        Assert.Null(Spec(false, resize, new CenterCropOp(224, 224)).DraftResize);
        Assert.Null(Spec(true, new CenterCropOp(224, 224), resize).DraftResize);
        Assert.Null(Spec(true, new RandomResizedCropOp(224, 224)).DraftResize);
    }
}
