using Maas.Core.Errors;
using Maas.Testing;

namespace Maas.Cli.Tests;

public sealed class CliErrorTests : IDisposable
{
    private readonly TempFolder _temp = new();

    private static void AssertOneLineError(MaasProcess.Result result, int exitCode, string expected)
    {
        Assert.Equal(exitCode, result.ExitCode);
        Assert.Contains(expected, result.Stderr, StringComparison.Ordinal);
        var last = result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)[^1];
        Assert.StartsWith("error:", last, StringComparison.Ordinal);
        Assert.Contains(expected, last, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Import_MissingPath_ExitsNotFoundWithOneLine()
    {
        var result = await MaasProcess.RunAsync(_temp.Path, "dataset", "import", "/no/such/folder", "--name", "x");

        AssertOneLineError(result, ExitCodes.NotFound, "/no/such/folder: no such file or folder.");
    }

    [Fact]
    public async Task Import_FolderOfNonImages_ExitsInvalidInput()
    {
        var tree = _temp.Combine("tree", "cats");
        Directory.CreateDirectory(tree);
        File.WriteAllText(Path.Combine(tree, "a.png"), "not an image");

        var result = await MaasProcess.RunAsync(_temp.Combine("home"), "dataset", "import", _temp.Combine("tree"), "--name", "cats");

        AssertOneLineError(result, ExitCodes.InvalidInput, "none of the 1 files is a valid image");
    }

    [Fact]
    public async Task Train_UnknownDataset_ExitsNotFound()
    {
        var result = await MaasProcess.RunAsync(_temp.Path, "train", "fashion@3", "--register", "m");

        AssertOneLineError(result, ExitCodes.NotFound, "dataset 'fashion@3' does not exist");
    }

    [Theory]
    [InlineData("--label-smoothing", "1.5")]
    [InlineData("--optimizer", "adam")]
    [InlineData("--schedule", "step")]
    [InlineData("--warmup", "two")]
    [InlineData("--clip-grad-norm", "0")]
    [InlineData("--patience", "0")]
    [InlineData("--momentum", "1")]
    [InlineData("--pretrained", "imagenet")]
    [InlineData("--freeze-backbone", null)]
    [InlineData("--arch", "resnet-9000")]
    public async Task Train_BadTrainingFlag_ExitsInvalidInputNamingTheFlag(string flag, string? value)
    {
        string[] args = value is null ? ["train", "fashion@3", flag] : ["train", "fashion@3", flag, value];

        var result = await MaasProcess.RunAsync(_temp.Path, args);

        // Checked before the dataset is looked up, which does not exist here.
        AssertOneLineError(result, ExitCodes.InvalidInput, flag);
    }

    [Fact]
    public async Task Predict_MissingImage_ExitsNotFound()
    {
        var result = await MaasProcess.RunAsync(_temp.Path, "predict", "fashion-cnn", _temp.Combine("none.png"));

        AssertOneLineError(result, ExitCodes.NotFound, "none.png: no such file.");
    }

    [Fact]
    public async Task Predict_NoServer_ExitsUnavailable()
    {
        var image = _temp.Combine("a.png");
        File.WriteAllBytes(image, TestImages.FlatGrayPng(4, 4, 9));

        var result = await MaasProcess.RunAsync(_temp.Path, "predict", "fashion-cnn", image, "--url", "http://127.0.0.1:9");

        AssertOneLineError(result, ExitCodes.Unavailable, "no Maas server answers at http://127.0.0.1:9");
    }

    [Fact]
    public async Task Deploy_NoServer_ExitsUnavailable()
    {
        var result = await MaasProcess.RunAsync(_temp.Path, "deploy", "fashion-cnn@production", "--server", "http://127.0.0.1:9", "--key", "k");

        AssertOneLineError(result, ExitCodes.Unavailable, "no Maas server answers at http://127.0.0.1:9");
    }

    [Fact]
    public async Task UnknownOption_ExitsUsage()
    {
        var result = await MaasProcess.RunAsync(_temp.Path, "dataset", "import", "x", "--name", "y", "--bogus");

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Contains("--bogus", result.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("dataset", "import")]
    [InlineData("train")]
    [InlineData("serve")]
    [InlineData("predict")]
    [InlineData("quickstart")]
    [InlineData("models", "alias")]
    [InlineData("keys", "create")]
    [InlineData("deploy")]
    [InlineData("undeploy")]
    public async Task EveryCommand_HasHelp(params string[] command)
    {
        var result = await MaasProcess.RunAsync(_temp.Path, [.. command, "--help"]);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("Usage:", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("--json", result.Stdout, StringComparison.Ordinal);
    }

    public void Dispose() => _temp.Dispose();
}
