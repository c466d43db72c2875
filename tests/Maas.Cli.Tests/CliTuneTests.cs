using Maas.Core.Errors;
using Maas.Testing;

namespace Maas.Cli.Tests;

public sealed class CliTuneTests : IDisposable
{
    private readonly TempFolder _temp = new();

    [Fact]
    public async Task Tune_TwoTrials_PrintsALinePerRung_AndTheBestRun()
    {
        var home = _temp.Combine("home");
        FashionMnist.WriteSubset(_temp.Combine("idx"), 200, 50, gzip: true);
        Assert.Equal(0, (await MaasProcess.RunAsync(home, "dataset", "import", _temp.Combine("idx"), "--name", "fashion", "--json")).ExitCode);
        File.WriteAllText(_temp.Combine("space.json"), """{"architecture": ["mlp"], "learning_rate": {"log_uniform": [1e-3, 1e-2]}}""");

        var result = await MaasProcess.RunAsync(home, "tune", "fashion@1", "--space", _temp.Combine("space.json"), "--budget-minutes", "1", "--trials", "2");

        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Equal(2, result.Stderr.Split('\n').Count(l => l.StartsWith("trial ", StringComparison.Ordinal)));
        Assert.Contains("best trial", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tune_BadSpaceFile_ExitsInvalidInputNamingTheField()
    {
        File.WriteAllText(_temp.Combine("space.yaml"), "learning_rate: {log_uniform: [-1, 1]}\n");

        var result = await MaasProcess.RunAsync(_temp.Combine("home"), "tune", "fashion@1", "--space", _temp.Combine("space.yaml"), "--budget-minutes", "1");

        Assert.Equal(ExitCodes.InvalidInput, result.ExitCode);
        Assert.Contains("learning_rate", result.Stderr, StringComparison.Ordinal);
    }

    public void Dispose() => _temp.Dispose();
}
