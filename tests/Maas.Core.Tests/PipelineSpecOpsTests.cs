using Maas.Core.Errors;
using Maas.Core.Pipelines;

namespace Maas.Core.Tests;

public class PipelineSpecOpsTests
{
    private const string EveryOp = """
        {"format_version": 1, "ops": [
          {"op": "decode", "color": "rgb"},
          {"op": "resize", "shorter_side": 256, "interpolation": "area"},
          {"op": "pad", "left": 1, "top": 2, "right": 3, "bottom": 4, "mode": "reflect"},
          {"op": "random_resized_crop", "width": 224, "height": 224, "scale": [0.2, 1], "interpolation": "bicubic"},
          {"op": "rotate", "range": [-15, 15], "fill": [1, 2, 3]},
          {"op": "rotate", "angle": 90, "expand": true},
          {"op": "horizontal_flip", "p": 0.5},
          {"op": "vertical_flip", "p": 0.1},
          {"op": "color_jitter", "brightness": 0.4, "contrast": [0.8, 1.2]},
          {"op": "grayscale", "channels": 3},
          {"op": "center_crop", "width": 200, "height": 100, "fill": [0]},
          {"op": "to_tensor", "dtype": "float32"},
          {"op": "normalize", "mean": "auto", "std": "auto"},
          {"op": "random_erasing", "p": 0.25, "value": [0]}
        ]}
        """;

    [Fact]
    public void FromJson_EveryOp_ReadsAndRoundTrips()
    {
        var spec = PipelineSpec.FromJson(EveryOp);

        var again = PipelineSpec.FromJson(spec.ToJson());

        Assert.Equal(spec.Ops.Select(o => o.Name), again.Ops.Select(o => o.Name));
        Assert.Equal(again.ToJson(), spec.ToJson());
        Assert.Equal(ResizeOp.ToShorterSide(256, Interpolation.Area), spec.Ops[1]);
        Assert.Equal([0.4], Assert.IsType<ColorJitterOp>(spec.Ops[8]).Brightness);
        Assert.True(Assert.IsType<NormalizeOp>(spec.Ops[12]).IsAuto);
        Assert.Contains("\"mean\": \"auto\"", spec.ToJson(), StringComparison.Ordinal);
        Assert.Contains("\"brightness\": 0.4", spec.ToJson(), StringComparison.Ordinal);
        Assert.Equal(new ImageSize(200, 100), spec.OutputSize);
        Assert.Equal(3, spec.Channels);
    }

    [Fact]
    public void FromJson_TodaysFormatVersionOneDocument_StillReads()
    {
        var spec = PipelineSpec.FromJson("""
            {"ops": [{"op": "decode", "color": "gray"}, {"op": "resize", "width": 28, "height": 28, "interpolation": "bilinear"},
                     {"op": "normalize", "mean": [0.5], "std": [0.5]}], "format_version": 1}
            """);

        Assert.Equal(PipelineSpec.ForImages(ColorMode.Gray, 28, 28).ToJson(), spec.ToJson());
        Assert.Equal(new ResizeOp(28, 28), spec.Ops[1]);
    }

    [Fact]
    public void FromJson_DocumentWrittenByTheFirstBuild_WithItsDerivedFields_StillReads()
    {
        // The first build also wrote its computed Decode and Channels properties; they are ignored on reading.
        var spec = PipelineSpec.FromJson("""
            {"ops": [{"op": "decode", "color": "gray"}, {"op": "resize", "width": 28, "height": 28, "interpolation": "bilinear"},
                     {"op": "normalize", "mean": [0.5], "std": [0.5]}],
             "format_version": 1, "decode": {"op": "decode", "color": "gray"}, "channels": 1}
            """);

        Assert.Equal(PipelineSpec.ForImages(ColorMode.Gray, 28, 28).ToJson(), spec.ToJson());
        Assert.DoesNotContain("channels", spec.ToJson(), StringComparison.Ordinal);
    }

    [Fact]
    public void ForEvaluation_ReplacesRandomOpsByTheirCounterparts()
    {
        var evaluation = PipelineSpec.FromJson(EveryOp).ForEvaluation();

        Assert.Equal(
            ["decode", "resize", "pad", "resize", "center_crop", "rotate", "grayscale", "center_crop", "to_tensor", "normalize"],
            evaluation.Ops.Select(o => o.Name));
        Assert.Equal(ResizeOp.ToShorterSide(224, Interpolation.Bicubic), evaluation.Ops[3]);
        Assert.Equal(new CenterCropOp(224, 224), evaluation.Ops[4]);
        Assert.Equal(90, Assert.IsType<RotateOp>(evaluation.Ops[5]).Angle);
        Assert.False(evaluation.HasRandomOps);
    }

    [Fact]
    public void RandomResizedCrop_EvaluationShorterSide_SetsTheResizeBeforeTheCentreCrop()
    {
        var counterpart = new RandomResizedCropOp(224, 224, EvaluationShorterSide: 256).EvaluationCounterpart();

        Assert.Equal([ResizeOp.ToShorterSide(256), new CenterCropOp(224, 224)], counterpart);
    }

    [Fact]
    public void DeterministicPrefix_EndsAtTheFirstRandomOp()
    {
        var spec = PipelineSpec.FromJson(EveryOp);

        Assert.Equal(["decode", "resize", "pad"], spec.DeterministicPrefix.Select(o => o.Name));
    }

    [Fact]
    public void DeterministicPrefix_WithoutRandomOps_EndsBeforeNormalize()
    {
        Assert.Equal(2, PipelineSpec.ForImages(ColorMode.Gray, 28, 28).DeterministicPrefixLength);
    }

    [Fact]
    public void ResolveNormalization_FillsInTheTrainingStatistics()
    {
        var spec = new PipelineSpec([new DecodeOp(), new ResizeOp(8, 8), NormalizeOp.Auto]).Validate();

        var resolved = spec.ResolveNormalization([0.1f, 0.2f, 0.3f], [0.4f, 0.5f, 0.6f]);

        Assert.True(spec.HasAutoNormalization);
        Assert.False(resolved.HasAutoNormalization);
        var normalize = Assert.IsType<NormalizeOp>(resolved.Ops[2]);
        Assert.Equal([0.1f, 0.2f, 0.3f], normalize.Mean);
        Assert.Equal([0.4f, 0.5f, 0.6f], normalize.Std);
    }

    [Fact]
    public void ResolveNormalization_WithStatisticsForTheWrongChannels_IsRejected()
    {
        var spec = new PipelineSpec([new DecodeOp(ColorMode.Gray), new ResizeOp(8, 8), NormalizeOp.Auto]);

        var error = Assert.Throws<InvalidInputException>(() => spec.ResolveNormalization([0.1f, 0.2f, 0.3f], [0.4f, 0.5f, 0.6f]));

        Assert.Contains("pipeline op 2 (normalize): 3 mean values for a 1-channel image", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"op":"rotate","range":[30,10]}""", "pipeline op 2 (rotate): range [30, 10] is empty")]
    [InlineData("""{"op":"rotate","angle":10,"range":[0,10]}""", "pipeline op 2 (rotate): give either angle or range")]
    [InlineData("""{"op":"rotate","angle":10,"interpolation":"area"}""", "pipeline op 2 (rotate): interpolation must be 'nearest' or 'bilinear'")]
    [InlineData("""{"op":"resize","width":8,"height":8,"shorter_side":8}""", "pipeline op 2 (resize): give either width and height or shorter_side")]
    [InlineData("""{"op":"resize","shorter_side":9000}""", "pipeline op 2 (resize): shorter_side must be between 1 and 8192")]
    [InlineData("""{"op":"center_crop","width":0,"height":8}""", "pipeline op 2 (center_crop): width and height must be between 1 and 8192")]
    [InlineData("""{"op":"center_crop","width":8,"height":8,"fill":[300]}""", "pipeline op 2 (center_crop): fill values must be between 0 and 255")]
    [InlineData("""{"op":"pad","left":-1,"top":0,"right":0,"bottom":0}""", "pipeline op 2 (pad): left, top, right and bottom must be between 0 and 8192")]
    [InlineData("""{"op":"pad","left":1,"top":1,"right":1,"bottom":1,"mode":"edge","fill":[3]}""", "pipeline op 2 (pad): fill applies only to mode 'constant'")]
    [InlineData("""{"op":"pad","left":1,"top":1,"right":1,"bottom":1,"fill":[1,2]}""", "pipeline op 2 (pad): fill must list 1 or 3 values")]
    [InlineData("""{"op":"pad","left":1,"top":1,"right":1,"bottom":1,"fill":[1,2,3]}""", "pipeline op 2 (pad): fill has 3 values for a 1-channel image")]
    [InlineData("""{"op":"random_resized_crop","width":8,"height":8,"scale":[0.5,1.5]}""", "pipeline op 2 (random_resized_crop): scale [0.5, 1.5] must not exceed 1")]
    [InlineData("""{"op":"random_resized_crop","width":8,"height":8,"scale":[0,1]}""", "pipeline op 2 (random_resized_crop): scale [0, 1] must be above 0")]
    [InlineData("""{"op":"random_resized_crop","width":8,"height":8,"ratio":[2,1]}""", "pipeline op 2 (random_resized_crop): ratio [2, 1] is empty")]
    [InlineData("""{"op":"random_resized_crop","width":8,"height":8,"ratio":[1]}""", "pipeline op 2 (random_resized_crop): ratio must be a pair")]
    [InlineData("""{"op":"horizontal_flip","p":1.5}""", "pipeline op 2 (horizontal_flip): p must be between 0 and 1, not 1.5")]
    [InlineData("""{"op":"vertical_flip","p":-0.1}""", "pipeline op 2 (vertical_flip): p must be between 0 and 1")]
    [InlineData("""{"op":"color_jitter","brightness":-0.2}""", "pipeline op 2 (color_jitter): brightness must be a non-negative number")]
    [InlineData("""{"op":"color_jitter","contrast":[1.2,0.8]}""", "pipeline op 2 (color_jitter): contrast [1.2, 0.8] is empty")]
    [InlineData("""{"op":"random_erasing","value":[1,2,3]}""", "pipeline op 2 (random_erasing): value has 3 values for a 1-channel image")]
    [InlineData("""{"op":"random_erasing","scale":[0.5,0.1]}""", "pipeline op 2 (random_erasing): scale [0.5, 0.1] is empty")]
    [InlineData("""{"op":"grayscale","channels":2}""", "pipeline op 2 (grayscale): channels must be 1 or 3, not 2")]
    [InlineData("""{"op":"normalize","mean":"auto","std":[0.5]}""", "pipeline op 2 (normalize): mean and std must both be \"auto\" or both list values")]
    [InlineData("""{"op":"decode"}""", "pipeline op 2 (decode): only the first op may decode")]
    public void Validate_BadOp_NamesItsIndexNameAndProblem(string op, string expected)
    {
        var json = $$"""{"ops":[{"op":"decode","color":"gray"},{"op":"resize","width":8,"height":8},{{op}}]}""";

        var error = Assert.Throws<InvalidInputException>(() => PipelineSpec.FromJson(json));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"op":"normalize","mean":[0.5],"std":[0.5]},{"op":"resize","width":4,"height":4}""", "pipeline op 3 (resize): pixel ops must come before normalize")]
    [InlineData("""{"op":"to_tensor"},{"op":"horizontal_flip"}""", "pipeline op 3 (horizontal_flip): pixel ops must come before to_tensor")]
    [InlineData("""{"op":"to_tensor","dtype":"uint8"},{"op":"normalize","mean":[0.5],"std":[0.5]}""", "pipeline op 3 (normalize): a uint8 tensor cannot be normalized")]
    [InlineData("""{"op":"normalize","mean":[0.5],"std":[0.5]},{"op":"normalize","mean":[0.5],"std":[0.5]}""", "pipeline op 3 (normalize): only one normalize")]
    [InlineData("""{"op":"to_tensor"},{"op":"to_tensor"}""", "pipeline op 3 (to_tensor): only one to_tensor")]
    public void Validate_OpsInTheWrongOrder_AreRejectedNamingTheOp(string ops, string expected)
    {
        var json = $$"""{"ops":[{"op":"decode","color":"gray"},{"op":"resize","width":8,"height":8},{{ops}}]}""";

        var error = Assert.Throws<InvalidInputException>(() => PipelineSpec.FromJson(json));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"op":"decode"}""", "after op 0 (decode) every image keeps its own size")]
    [InlineData("""{"op":"decode"},{"op":"resize","shorter_side":32},{"op":"pad","left":1,"top":1,"right":1,"bottom":1}""", "after op 1 (resize) a shorter_side resize keeps each image's aspect ratio")]
    [InlineData("""{"op":"decode"},{"op":"resize","width":32,"height":32},{"op":"rotate","range":[0,45],"expand":true}""", "after op 2 (rotate) a random rotation with expand")]
    public void Validate_OutputSizeNotFixed_IsRejectedSayingWhy(string ops, string expected)
    {
        var error = Assert.Throws<InvalidInputException>(() => PipelineSpec.FromJson($$"""{"ops":[{{ops}}]}"""));

        Assert.StartsWith("pipeline: the output size is not fixed", error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_FixedRotationWithExpand_KeepsTheSizeKnown()
    {
        var spec = PipelineSpec.FromJson("""{"ops":[{"op":"decode"},{"op":"resize","width":30,"height":20},{"op":"rotate","angle":90,"expand":true}]}""");

        Assert.Equal(new ImageSize(20, 30), spec.OutputSize);
    }

    [Fact]
    public void StreamSeed_DiffersForEachField()
    {
        var context = SampleContext.Training(1, 2, 3);
        var seeds = new[]
        {
            context.StreamSeed(4), context.StreamSeed(5), (context with { Epoch = 4 }).StreamSeed(4),
            (context with { SampleKey = 3 }).StreamSeed(4), (context with { Seed = 2 }).StreamSeed(4),
        };

        Assert.Equal(seeds.Length, seeds.Distinct().Count());
        Assert.Equal(context.StreamSeed(4), SampleContext.Training(1, 2, 3).StreamSeed(4));
    }
}
