using System.Text.Json;
using Maas.Core.Errors;
using Maas.Testing;

namespace Maas.Cli.Tests;

/// <summary><c>maas preprocess</c> builds then reuses the shard cache; <c>preview</c> writes a sheet; bad specs name the op.</summary>
public sealed class CliPreprocessTests : IDisposable
{
    private readonly TempFolder _temp = new();

    private string Home => _temp.Combine("home");

    [Fact]
    public async Task Preprocess_BuildsThenReuses_AndPreviewWritesAPng()
    {
        FashionMnist.WriteSubset(_temp.Combine("idx"), 200, 20, gzip: true);
        Assert.Equal(0, (await MaasProcess.RunAsync(Home, "dataset", "import", _temp.Combine("idx"), "--name", "fashion")).ExitCode);
        var pipeline = _temp.Combine("aug.yaml");
        await File.WriteAllTextAsync(pipeline, """
            ops:
              - op: decode
                color: gray
              - op: resize
                width: 24
                height: 24
              - op: rotate
                range: [-15, 15]
              - op: normalize
                mean: auto
                std: auto
            """);

        var first = await MaasProcess.RunAsync(Home, "preprocess", "fashion@1", "--pipeline", pipeline, "--json");
        var second = await MaasProcess.RunAsync(Home, "preprocess", "fashion@1", "--pipeline", pipeline, "--json");
        var preview = await MaasProcess.RunAsync(Home, "preprocess", "preview", "fashion@1", "--pipeline", pipeline, "--out", _temp.Combine("sheet.png"),
            "--samples", "3", "--variants", "4");

        Assert.True(first.ExitCode == 0, first.Stderr);
        using (var json = JsonDocument.Parse(first.Stdout))
        {
            Assert.False(json.RootElement.GetProperty("reused").GetBoolean());
            Assert.Equal(220, json.RootElement.GetProperty("samples").GetInt32());
            Assert.Equal(2, json.RootElement.GetProperty("prefix_ops").GetInt32());
        }

        using (var json = JsonDocument.Parse(second.Stdout))
        {
            Assert.True(json.RootElement.GetProperty("reused").GetBoolean());
        }

        Assert.True(preview.ExitCode == 0, preview.Stderr);
        var sheet = Imaging.ImageDecoder.ReadInfo(await File.ReadAllBytesAsync(_temp.Combine("sheet.png")), "sheet");
        // Cells of 96 px (24 enlarged 4 times): 5 columns and 3 rows with 4 px gaps.
        Assert.Equal((4 + (5 * 100), 4 + (3 * 100)), (sheet.Width, sheet.Height));
    }

    [Fact]
    public async Task BadPipeline_ExitsWithInvalidInput_NamingTheOp()
    {
        FashionMnist.WriteSubset(_temp.Combine("idx"), 20, 5, gzip: true);
        await MaasProcess.RunAsync(Home, "dataset", "import", _temp.Combine("idx"), "--name", "fashion");
        var pipeline = _temp.Combine("bad.json");
        await File.WriteAllTextAsync(pipeline, """{"ops": [{"op": "decode"}, {"op": "resize", "width": 0, "height": 8}]}""");

        var result = await MaasProcess.RunAsync(Home, "preprocess", "fashion@1", "--pipeline", pipeline);
        var train = await MaasProcess.RunAsync(Home, "train", "fashion@1", "--pipeline", pipeline);

        Assert.Equal(ExitCodes.InvalidInput, result.ExitCode);
        Assert.Contains("op 1 (resize)", result.Stderr, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.InvalidInput, train.ExitCode);
        Assert.Contains("op 1 (resize)", train.Stderr, StringComparison.Ordinal);
    }

    public void Dispose() => _temp.Dispose();
}
