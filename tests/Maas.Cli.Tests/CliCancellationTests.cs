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
        Assert.Empty(await stores.Models.ListVersionsAsync(CancellationToken.None));
    }

    public void Dispose() => _temp.Dispose();
}
