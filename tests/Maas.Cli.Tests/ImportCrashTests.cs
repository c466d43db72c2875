using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Maas.Core;
using Maas.Core.Errors;
using Maas.Storage;
using Maas.Storage.Blobs;
using Maas.Testing;
using Microsoft.Data.Sqlite;

namespace Maas.Cli.Tests;

/// <summary>
/// An import that dies half-way (SIGKILL, as in a crash or the OOM killer) or is cancelled (Ctrl+C) must leave the
/// home as it was: earlier versions intact, no partial version, a consistent database, and blobs that are either
/// whole or absent; and the same import run again must succeed.
/// </summary>
public sealed partial class ImportCrashTests : IDisposable
{
    private const int LargeTrain = 17_000;
    private const int LargeTest = 3_000;

    private readonly TempFolder _temp = new();

    [Fact]
    public async Task Kill_MidImport_KeepsVersion1_ShowsNoVersion2_AndARerunCommitsVersion2()
    {
        var home = _temp.Combine("home");
        var before = await ImportVersion1Async(home);
        var large = WriteLargeSource();

        var killed = await MaasProcess.RunAsync(home, IsProgressPastStart, StopSignal.Kill, "dataset", "import", large, "--name", "fashion");

        Assert.True(killed.ExitCode == 137, $"expected the import to be killed mid-way (exit 137), got {killed.ExitCode}:\n{killed.Stderr}");
        await AssertOnlyVersion1Async(home, before);
        Assert.True(AssertEveryBlobIsWhole(home) > before.SampleCount, "the kill came before the import stored any image");

        var rerun = await MaasProcess.RunAsync(home, "dataset", "import", large, "--name", "fashion", "--json");

        Assert.True(rerun.ExitCode == 0, rerun.Stderr);
        using var json = JsonDocument.Parse(rerun.Stdout);
        Assert.Equal("fashion@2", json.RootElement.GetProperty("version").GetString());
        Assert.Empty(json.RootElement.GetProperty("rejections").EnumerateArray());
        Assert.Equal(LargeTrain + LargeTest,
            json.RootElement.GetProperty("sample_count").GetInt32() + json.RootElement.GetProperty("duplicates_dropped").GetInt32());
        var stores = MaasStores.Open(new MaasHome(home));
        var version2 = await stores.Datasets.GetVersionAsync(VersionedName.Parse("fashion@2", "dataset"), CancellationToken.None);
        Assert.Equal(json.RootElement.GetProperty("sample_count").GetInt32(), version2.SampleCount);
        var version1 = await stores.Datasets.GetVersionAsync(VersionedName.Parse("fashion@1", "dataset"), CancellationToken.None);
        Assert.Equal(before.ManifestHash, version1.ManifestHash);
        // The killed import's staging file was abandoned; the rerun found its lock free and deleted it with its own.
        Assert.Empty(Directory.GetFiles(Path.Combine(home, "tmp"), "import-*"));
    }

    [Fact]
    public async Task CtrlC_MidImport_ExitsCancelled_AndCommitsNoVersion()
    {
        var home = _temp.Combine("home");
        var before = await ImportVersion1Async(home);
        var large = WriteLargeSource();

        var cancelled = await MaasProcess.RunAsync(home, IsProgressPastStart, StopSignal.Interrupt, "dataset", "import", large, "--name", "fashion");

        Assert.True(cancelled.ExitCode == ExitCodes.Cancelled, $"expected exit {ExitCodes.Cancelled}, got {cancelled.ExitCode}:\n{cancelled.Stderr}");
        Assert.Contains("error: cancelled", cancelled.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", cancelled.Stderr, StringComparison.Ordinal);
        await AssertOnlyVersion1Async(home, before);
        AssertEveryBlobIsWhole(home);
    }

    /// <summary>
    /// A progress line past 8,192 images, so the blob store has committed at least one batch (4,096 blobs) when the
    /// import is stopped, and many images are still to come.
    /// </summary>
    private static bool IsProgressPastStart(string line)
    {
        var match = ProgressLine().Match(line);
        return match.Success && int.Parse(match.Groups[1].Value, NumberStyles.AllowThousands, CultureInfo.InvariantCulture) > 8192;
    }

    [GeneratedRegex(@"^validating and storing: ([\d,]+)/")]
    private static partial Regex ProgressLine();

    private async Task<Maas.Core.Datasets.DatasetVersion> ImportVersion1Async(string home)
    {
        FashionMnist.WriteSubset(_temp.Combine("small"), 500, 100, gzip: true);
        var result = await MaasProcess.RunAsync(home, "dataset", "import", _temp.Combine("small"), "--name", "fashion", "--json");
        Assert.True(result.ExitCode == 0, result.Stderr);
        var stores = MaasStores.Open(new MaasHome(home));
        var version = await stores.Datasets.GetVersionAsync(VersionedName.Parse("fashion@1", "dataset"), CancellationToken.None);
        using var json = JsonDocument.Parse(result.Stdout);
        Assert.Equal(600, version.SampleCount + json.RootElement.GetProperty("duplicates_dropped").GetInt32());
        return version;
    }

    private string WriteLargeSource()
    {
        var folder = _temp.Combine("large");
        FashionMnist.WriteSubset(folder, LargeTrain, LargeTest, gzip: true);
        return folder;
    }

    /// <summary>
    /// Version 1 as it was (count, manifest hash, every blob present with the bytes its hash names), no other
    /// version, and a database that SQLite itself finds sound and the CLI can list.
    /// </summary>
    private static async Task AssertOnlyVersion1Async(string home, Maas.Core.Datasets.DatasetVersion before)
    {
        var listed = await MaasProcess.RunAsync(home, "dataset", "list", "--json");
        Assert.True(listed.ExitCode == 0, listed.Stderr);
        using var list = JsonDocument.Parse(listed.Stdout);
        var only = Assert.Single(list.RootElement.EnumerateArray());
        Assert.Equal("fashion", only.GetProperty("name").GetString());
        Assert.Equal(1, only.GetProperty("version").GetInt32());
        Assert.Equal(before.SampleCount, only.GetProperty("sample_count").GetInt32());
        Assert.Equal(before.ManifestHash, only.GetProperty("manifest_hash").GetString());

        var stores = MaasStores.Open(new MaasHome(home));
        await Assert.ThrowsAsync<NotFoundException>(() =>
            stores.Datasets.GetVersionAsync(VersionedName.Parse("fashion@2", "dataset"), CancellationToken.None));
        var samples = await stores.Datasets.GetSamplesAsync("fashion", 1, CancellationToken.None);
        Assert.Equal(before.SampleCount, samples.Count);
        foreach (var sample in samples)
        {
            Assert.Equal(sample.BlobHash, ContentHash.Of(stores.Blobs.Get(sample.BlobHash)));
        }

        using var connection = new SqliteConnection($"Data Source={Path.Combine(home, "maas.db")};Pooling=False");
        connection.Open();
        using var check = connection.CreateCommand();
        check.CommandText = "PRAGMA integrity_check";
        Assert.Equal("ok", check.ExecuteScalar() as string);
        check.CommandText = "PRAGMA foreign_key_check";
        using var reader = check.ExecuteReader();
        Assert.False(reader.Read(), "a row refers to a parent that does not exist");
    }

    /// <summary>
    /// Blobs are indexed only after their pack bytes are on disk, so a killed import may leave unindexed bytes at the
    /// end of a pack but never an index entry whose bytes are not the ones its hash promises.
    /// </summary>
    /// <returns>How many blobs are stored.</returns>
    private static int AssertEveryBlobIsWhole(string home)
    {
        var blobsPath = new MaasHome(home).BlobsPath;
        using var connection = new SqliteConnection($"Data Source={Path.Combine(blobsPath, "index.db")};Pooling=False;Mode=ReadOnly");
        connection.Open();
        using var query = connection.CreateCommand();
        query.CommandText = "SELECT lower(hex(hash)) FROM blobs";
        var hashes = new List<string>();
        using (var reader = query.ExecuteReader())
        {
            while (reader.Read())
            {
                hashes.Add(reader.GetString(0));
            }
        }

        Assert.NotEmpty(hashes);
        using var store = new PackedBlobStore(blobsPath);
        foreach (var hash in hashes)
        {
            Assert.Equal(hash, ContentHash.Of(store.Get(hash)));
        }

        return hashes.Count;
    }

    public void Dispose() => _temp.Dispose();
}
