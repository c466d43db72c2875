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
}
