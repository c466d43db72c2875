using System.Text.Json;
using Maas.Core.Errors;
using Maas.Testing;

namespace Maas.Cli.Tests;

/// <summary><c>maas eval</c> and <c>maas runs</c> on a tiny network trained for one epoch on a Fashion-MNIST subset.</summary>
public sealed class CliEvalTests : IDisposable
{
    private readonly TempFolder _temp = new();

    private string Home => _temp.Combine("home");

    private async Task ImportAsync()
    {
        FashionMnist.WriteSubset(_temp.Combine("idx"), 300, 100, gzip: true);
        var import = await MaasProcess.RunAsync(Home, "dataset", "import", _temp.Combine("idx"), "--name", "fashion");
        Assert.True(import.ExitCode == 0, import.Stderr);
    }

    private async Task<JsonElement> TrainAsync(params string[] extra)
    {
        var train = await MaasProcess.RunAsync(Home, ["train", "fashion@1", "--model", "tiny-cnn", "--epochs", "1", "--batch-size", "64", "--json", .. extra]);
        Assert.True(train.ExitCode == 0, train.Stderr);
        using var json = JsonDocument.Parse(train.Stdout);
        return json.RootElement.Clone();
    }

    [Fact]
    public async Task Eval_OfATrainedModel_ScoresTheTestSplitThroughOnnxAsTheTrainerDid()
    {
        await ImportAsync();
        var trained = await TrainAsync("--register", "fm");

        var eval = await MaasProcess.RunAsync(Home, "eval", "fm", "--data", "fashion@1", "--split", "test", "--top-k", "3",
            "--confusion", _temp.Combine("confusion.png"), "--json");
        var calibrate = await MaasProcess.RunAsync(Home, "eval", "fm@1", "--data", "fashion", "--calibrate");
        var unknown = await MaasProcess.RunAsync(Home, "eval", "nope", "--data", "fashion@1");
        var badSplit = await MaasProcess.RunAsync(Home, "eval", "fm", "--data", "fashion@1", "--split", "holdout");

        Assert.True(eval.ExitCode == 0, eval.Stderr);
        using var json = JsonDocument.Parse(eval.Stdout);
        var scores = json.RootElement.GetProperty("scores");
        var report = scores.GetProperty("report");
        Assert.Equal(("fm@1", "fashion@1", "test"), (json.RootElement.GetProperty("model").GetString(),
            json.RootElement.GetProperty("dataset").GetString(), json.RootElement.GetProperty("split").GetString()));
        Assert.Equal(100, report.GetProperty("sample_count").GetInt32());
        // The same pipeline through ONNX Runtime as through TorchSharp: at most a near-tie may flip.
        Assert.Equal(trained.GetProperty("evaluation").GetProperty("accuracy").GetDouble(), report.GetProperty("accuracy").GetDouble(), 0.011);
        Assert.Equal(3, scores.GetProperty("top_k").GetInt32());
        Assert.True(scores.GetProperty("top_k_accuracy").GetDouble() >= report.GetProperty("accuracy").GetDouble());
        Assert.InRange(scores.GetProperty("expected_calibration_error").GetDouble(), 0, 1);
        Assert.Equal(15, scores.GetProperty("bins").GetArrayLength());
        Assert.Equal(10, report.GetProperty("classes").GetArrayLength());
        Assert.True(report.TryGetProperty("weighted_f1", out _));
        var png = Imaging.ImageDecoder.ReadInfo(await File.ReadAllBytesAsync(_temp.Combine("confusion.png")), "confusion");
        Assert.True(png.Width > 400 && png.Height > 400);

        // The IDX subset has no validation split to fit a temperature on.
        Assert.Equal(ExitCodes.InvalidInput, calibrate.ExitCode);
        Assert.Contains("validation", calibrate.Stderr, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.NotFound, unknown.ExitCode);
        Assert.Contains("nope", unknown.Stderr, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.InvalidInput, badSplit.ExitCode);
        Assert.Contains("--split 'holdout'", badSplit.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Runs_ListShowAndCompare_ReadBackTheRunsWithTheirDifferingParametersAndCurves()
    {
        await ImportAsync();
        var first = (await TrainAsync("--lr", "0.001")).GetProperty("run").GetString()!;
        var second = (await TrainAsync("--lr", "0.002")).GetProperty("run").GetString()!;

        var list = await MaasProcess.RunAsync(Home, "runs", "list", "--json");
        var show = await MaasProcess.RunAsync(Home, "runs", "show", first, "--json");
        var compare = await MaasProcess.RunAsync(Home, "runs", "compare", first, second, "--plot", _temp.Combine("curves.svg"), "--json");
        var png = await MaasProcess.RunAsync(Home, "runs", "compare", first, second, "--plot", _temp.Combine("curves.png"));
        var human = await MaasProcess.RunAsync(Home, "runs", "show", second);
        var unknown = await MaasProcess.RunAsync(Home, "runs", "show", "run_nope");

        Assert.True(list.ExitCode == 0, list.Stderr);
        using (var json = JsonDocument.Parse(list.Stdout))
        {
            Assert.Equal([second, first], json.RootElement.EnumerateArray().Select(r => r.GetProperty("id").GetString()));
            Assert.Equal(("tiny-cnn", "completed"), (json.RootElement[0].GetProperty("architecture").GetString(), json.RootElement[0].GetProperty("status").GetString()));
            Assert.InRange(json.RootElement[0].GetProperty("test_accuracy").GetDouble(), 0, 1);
        }

        Assert.True(show.ExitCode == 0, show.Stderr);
        using (var json = JsonDocument.Parse(show.Stdout))
        {
            Assert.Equal("42", json.RootElement.GetProperty("seed").GetString());
            var epoch = json.RootElement.GetProperty("epochs")[0];
            Assert.Equal(0.001, epoch.GetProperty("learning_rate").GetDouble(), 9);
            Assert.True(epoch.GetProperty("images_per_second").GetDouble() > 0);
            Assert.Contains(json.RootElement.GetProperty("artifacts").EnumerateArray(), a => a.GetProperty("path").GetString() == "model.onnx");
            Assert.Contains("normalize", json.RootElement.GetProperty("pipeline").GetString()!, StringComparison.Ordinal);
        }

        Assert.True(compare.ExitCode == 0, compare.Stderr);
        using (var json = JsonDocument.Parse(compare.Stdout))
        {
            Assert.Equal(["learning_rate"], json.RootElement.GetProperty("differing_parameters").EnumerateArray().Select(p => p.GetString()));
            Assert.Equal(2, json.RootElement.GetProperty("metrics").GetProperty("test_accuracy").GetArrayLength());
        }

        var svg = await File.ReadAllTextAsync(_temp.Combine("curves.svg"));
        Assert.StartsWith("<svg", svg, StringComparison.Ordinal);
        Assert.Contains(first, svg, StringComparison.Ordinal);
        Assert.Contains("<polyline", svg, StringComparison.Ordinal);
        Assert.True(png.ExitCode == 0, png.Stderr);
        Assert.True(Imaging.ImageDecoder.ReadInfo(await File.ReadAllBytesAsync(_temp.Combine("curves.png")), "curves").Width > 500);
        Assert.True(human.ExitCode == 0, human.Stderr);
        Assert.Contains("model.onnx", human.Stdout, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.NotFound, unknown.ExitCode);
        Assert.Contains("run 'run_nope' does not exist", unknown.Stderr, StringComparison.Ordinal);
    }

    public void Dispose() => _temp.Dispose();
}
