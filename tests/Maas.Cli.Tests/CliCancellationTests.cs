using Maas.Core;
using Maas.Core.Errors;
using Maas.Core.Runs;
using Maas.Storage;
using Maas.Testing;

namespace Maas.Cli.Tests;

public sealed class CliCancellationTests : IDisposable
{
    private readonly TempFolder _temp = new();

    [Fact]
    public async Task CtrlC_DuringTraining_ExitsCancelled_MarksTheRun_AndRegistersNothing()
    {
        var home = _temp.Combine("home");
        FashionMnist.WriteSubset(_temp.Combine("idx"), 3000, 200, gzip: true);
        Assert.Equal(0, (await MaasProcess.RunAsync(home, "dataset", "import", _temp.Combine("idx"), "--name", "fashion", "--json")).ExitCode);

        var result = await MaasProcess.RunAsync(home, line => line.StartsWith("training:", StringComparison.Ordinal),
            "train", "fashion@1", "--epochs", "50", "--register", "fashion-cnn");

        Assert.Equal(ExitCodes.Cancelled, result.ExitCode);
        Assert.Contains("error: cancelled", result.Stderr, StringComparison.Ordinal);
        var stores = MaasStores.Open(new MaasHome(home));
        var run = Assert.Single(await stores.Runs.ListAsync(CancellationToken.None));
        Assert.Equal(RunStatus.Cancelled, run.Status);
        Assert.Contains($"resume with: maas train --resume {run.Id}", result.Stderr, StringComparison.Ordinal);
        Assert.Empty(await stores.Models.ListVersionsAsync(CancellationToken.None));
    }

    [Fact]
    public async Task CtrlC_DuringAnalysis_ExitsCancelled_AndLeavesNoReport()
    {
        var home = _temp.Combine("home");
        FashionMnist.WriteSubset(_temp.Combine("idx"), 3000, 200, gzip: true);
        Assert.Equal(0, (await MaasProcess.RunAsync(home, "dataset", "import", _temp.Combine("idx"), "--name", "fashion", "--json")).ExitCode);

        // Interrupted while the fold CNNs train, long after the report's folder could have been started.
        var result = await MaasProcess.RunAsync(home, line => line.StartsWith("cross-validating:", StringComparison.Ordinal),
            "analyze", "fashion@1", "--no-embeddings", "--label-epochs", "50", "--out", _temp.Combine("out"));

        Assert.Equal(ExitCodes.Cancelled, result.ExitCode);
        Assert.Contains("error: cancelled", result.Stderr, StringComparison.Ordinal);
        var reports = Path.Combine(home, "reports", "analysis");
        Assert.False(Directory.Exists(reports) && Directory.EnumerateFileSystemEntries(reports).Any(),
            Directory.Exists(reports) ? string.Join(", ", Directory.EnumerateFileSystemEntries(reports)) : "");
        Assert.False(Directory.Exists(_temp.Combine("out")));
    }

    public void Dispose() => _temp.Dispose();
}
