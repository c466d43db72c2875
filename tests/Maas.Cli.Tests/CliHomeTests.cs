using System.Text.Json;
using Maas.Core;
using Maas.Core.Errors;
using Maas.Storage;
using Maas.Storage.Locking;
using Maas.Testing;

namespace Maas.Cli.Tests;

/// <summary>The home lock between real maas processes, and gc and doctor as a user runs them.</summary>
public sealed class CliHomeTests : IDisposable
{
    private static readonly Dictionary<string, string> s_noWait = new() { [HomeLock.TimeoutVariable] = "0" };
    private readonly TempFolder _temp = new();

    private string Home => _temp.Combine("home");

    [Fact]
    public async Task WhileServeHoldsTheHomeShared_AnotherReaderGetsIt_AndAnExclusiveHolderIsBusy_NamingServe()
    {
        await using var server = await ServeProcess.StartAsync(Home);
        var home = new MaasHome(Home);

        using (await HomeLock.AcquireAsync(home, HomeLockMode.Shared, "importing", TimeSpan.Zero, CancellationToken.None))
        {
        }

        var error = await Assert.ThrowsAsync<ConflictException>(() =>
            HomeLock.AcquireAsync(home, HomeLockMode.Exclusive, "collecting garbage", TimeSpan.Zero, CancellationToken.None));
        Assert.Matches(@"^busy: `maas serve [^`]*` \(PID \d+, serving models\) holds the home", error.Message);
        Assert.DoesNotContain($"PID {Environment.ProcessId}", error.Message, StringComparison.Ordinal);

        // Measuring deletes nothing, so it runs beside the server; collecting waits for it and names it.
        Assert.Equal(0, (await MaasProcess.RunWithEnvironmentAsync(Home, s_noWait, "gc", "--dry-run")).ExitCode);
        var collect = await MaasProcess.RunWithEnvironmentAsync(Home, s_noWait, "gc");
        Assert.Equal(ExitCodes.Conflict, collect.ExitCode);
        Assert.Contains("`maas serve", collect.Stderr, StringComparison.Ordinal);

        await server.StopAsync();
        using var exclusive = await HomeLock.AcquireAsync(home, HomeLockMode.Exclusive, "collecting garbage", TimeSpan.Zero, CancellationToken.None);
    }

    [Fact]
    public async Task AnImport_WhileAnotherProcessHoldsTheHomeExclusively_IsBusy_NamingTheHolder_AndWorksAfterwards()
    {
        FashionMnist.WriteSubset(_temp.Combine("idx"), 60, 20, gzip: true);
        var home = new MaasHome(Home).EnsureCreated();

        using (await HomeLock.AcquireAsync(home, HomeLockMode.Exclusive, "removing dataset old@1", TimeSpan.Zero, CancellationToken.None))
        {
            var refused = await MaasProcess.RunWithEnvironmentAsync(Home, s_noWait, "dataset", "import", _temp.Combine("idx"), "--name", "fashion");

            Assert.Equal(ExitCodes.Conflict, refused.ExitCode);
            Assert.Contains($"error: busy: `", refused.Stderr, StringComparison.Ordinal);
            Assert.Contains($"(PID {Environment.ProcessId}, removing dataset old@1) holds the home", refused.Stderr, StringComparison.Ordinal);
        }

        Assert.Equal(0, (await MaasProcess.RunWithEnvironmentAsync(Home, s_noWait, "dataset", "import", _temp.Combine("idx"), "--name", "fashion")).ExitCode);
    }

    [Fact]
    public async Task Doctor_ExitsDamaged_NamingAFlippedImage_AndGcDryRunChangesNothing()
    {
        FashionMnist.WriteSubset(_temp.Combine("idx"), 60, 20, gzip: true);
        Assert.Equal(0, (await MaasProcess.RunAsync(Home, "dataset", "import", _temp.Combine("idx"), "--name", "fashion", "--json")).ExitCode);
        var healthy = await MaasProcess.RunAsync(Home, "doctor");
        Assert.Equal(0, healthy.ExitCode);
        Assert.Contains("The home is healthy.", healthy.Stdout, StringComparison.Ordinal);

        string hash;
        using (var stores = MaasStores.Open(new MaasHome(Home)))
        {
            hash = (await stores.Datasets.GetSamplesAsync("fashion", 1, CancellationToken.None))[3].BlobHash;
            var image = stores.Blobs.Get(hash);
            stores.Dispose();
            var pack = Assert.Single(Directory.GetFiles(Path.Combine(Home, "blobs", "packs"), "*.pack"));
            var bytes = File.ReadAllBytes(pack);
            bytes[bytes.AsSpan().IndexOf(image) + (image.Length / 2)] ^= 0x01;
            File.WriteAllBytes(pack, bytes);
        }

        var damaged = await MaasProcess.RunAsync(Home, "doctor", "--json");

        Assert.Equal(ExitCodes.Damaged, damaged.ExitCode);
        Assert.Contains($"blob {hash}", damaged.Stderr, StringComparison.Ordinal);
        using (var json = JsonDocument.Parse(damaged.Stdout))
        {
            Assert.False(json.RootElement.GetProperty("healthy").GetBoolean());
            Assert.Equal($"blob {hash}", Assert.Single(json.RootElement.GetProperty("damaged").EnumerateArray()).GetProperty("object").GetString());
        }

        var packs = Directory.GetFiles(Path.Combine(Home, "blobs", "packs"));
        var dryRun = await MaasProcess.RunAsync(Home, "gc", "--dry-run", "--json");
        Assert.Equal(0, dryRun.ExitCode);
        using (var json = JsonDocument.Parse(dryRun.Stdout))
        {
            Assert.True(json.RootElement.GetProperty("dry_run").GetBoolean());
            Assert.Equal(0, json.RootElement.GetProperty("blobs_deleted").GetInt32());
        }

        Assert.Equal(packs, Directory.GetFiles(Path.Combine(Home, "blobs", "packs")));
    }

    public void Dispose() => _temp.Dispose();
}
