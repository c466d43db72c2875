using System.Text.Json;
using Maas.Core;
using Maas.Core.Errors;
using Maas.Core.Runs;
using Maas.Storage;
using Maas.Testing;

namespace Maas.Cli.Tests;

public sealed class CliResumeTests : IDisposable
{
    private readonly TempFolder _temp = new();

    [Fact]
    public async Task Train_KilledAfterTheFirstCheckpoint_ResumesToTheFullEpochCount_InTheSameRun()
    {
        var home = _temp.Combine("home");
        FashionMnist.WriteSubset(_temp.Combine("idx"), 400, 100, gzip: true);
        Assert.Equal(0, (await MaasProcess.RunAsync(home, "dataset", "import", _temp.Combine("idx"), "--name", "fashion", "--json")).ExitCode);

        var killed = await MaasProcess.RunAsync(home, line => line.StartsWith("checkpoint:", StringComparison.Ordinal), StopSignal.Kill,
            "train", "fashion@1", "--model", "tiny-cnn", "--epochs", "3", "--batch-size", "64", "--register", "fashion-cnn");

        Assert.Equal(137, killed.ExitCode);
        Run run;
        using (var stores = MaasStores.Open(new MaasHome(home)))
        {
            run = Assert.Single(await stores.Runs.ListAsync(CancellationToken.None));
            // The row still says running; nothing holds the run's lock, so it is reported interrupted.
            Assert.Equal(RunStatus.Interrupted, run.Status);
            Assert.NotEmpty(await stores.Runs.GetEpochsAsync(run.Id, CancellationToken.None));
        }

        using (var listed = JsonDocument.Parse((await MaasProcess.RunAsync(home, "runs", "list", "--json")).Stdout))
        {
            Assert.Equal("interrupted", listed.RootElement[0].GetProperty("status").GetString());
        }

        using (var shown = JsonDocument.Parse((await MaasProcess.RunAsync(home, "runs", "show", run.Id, "--json")).Stdout))
        {
            Assert.Equal("interrupted", shown.RootElement.GetProperty("summary").GetProperty("status").GetString());
        }

        Assert.Contains($"resume with: maas train --resume {run.Id}", (await MaasProcess.RunAsync(home, "runs", "list")).Stdout, StringComparison.Ordinal);

        var refused = await MaasProcess.RunAsync(home, "train", "--resume", run.Id, "--epochs", "5");
        Assert.Equal(ExitCodes.InvalidInput, refused.ExitCode);
        Assert.Contains("--epochs", refused.Stderr, StringComparison.Ordinal);

        var resumed = await MaasProcess.RunAsync(home, "train", "--resume", run.Id, "--json");

        Assert.Equal(0, resumed.ExitCode);
        using var json = JsonDocument.Parse(resumed.Stdout);
        Assert.Equal(run.Id, json.RootElement.GetProperty("run").GetString());
        Assert.Equal("fashion-cnn@1", json.RootElement.GetProperty("registered").GetString());
        Assert.Equal([1, 2, 3], json.RootElement.GetProperty("epochs").EnumerateArray().Select(e => e.GetProperty("epoch").GetInt32()));
        using var after = MaasStores.Open(new MaasHome(home));
        var finished = Assert.Single(await after.Runs.ListAsync(CancellationToken.None));
        Assert.Equal(RunStatus.Completed, finished.Status);
        Assert.Equal(3, finished.Metrics["epochs"]);
        Assert.Equal(3, (await after.Runs.GetEpochsAsync(run.Id, CancellationToken.None)).Count);
    }

    [Fact]
    public async Task Train_ResumeOfAnUnknownRun_IsNotFound()
    {
        var result = await MaasProcess.RunAsync(_temp.Combine("home"), "train", "--resume", "run_nope");

        Assert.Equal(ExitCodes.NotFound, result.ExitCode);
    }

    public void Dispose() => _temp.Dispose();
}
