using System.Text.Json;
using Maas.Core;
using Maas.Core.Errors;
using Maas.Core.Models;
using Maas.Storage;
using Maas.Testing;
using Microsoft.Data.Sqlite;

namespace Maas.Cli.Tests;

public sealed class CliModelsTests : IDisposable
{
    private readonly TempFolder _temp = new();

    private string Home => _temp.Combine("home");

    private async Task<MaasStores> RegisterTwoVersionsAsync()
    {
        var stores = MaasStores.Open(new MaasHome(Home));
        for (var i = 1; i <= 2; i++)
        {
            var staged = _temp.Combine("staged" + i);
            Directory.CreateDirectory(staged);
            foreach (var file in new[] { ModelVersion.OnnxFileName, ModelVersion.PipelineFileName, ModelVersion.LabelsFileName })
            {
                File.WriteAllText(Path.Combine(staged, file), "x");
            }

            await stores.Models.RegisterAsync("cnn", staged, $"run_{i}", "pets@1", ["cat", "dog"], new Dictionary<string, double> { ["accuracy"] = 0.8 + i / 100.0 }, CancellationToken.None);
        }

        return stores;
    }

    [Fact]
    public async Task Alias_ThenHistoryAndList_ShowTheMoveWithItsReasonAndMover()
    {
        using var stores = await RegisterTwoVersionsAsync();

        var first = await MaasProcess.RunAsync(Home, "models", "alias", "cnn", "production", "1", "--reason", "first release");
        var second = await MaasProcess.RunAsync(Home, "models", "alias", "cnn", "production", "2", "--reason", "better", "--json");
        var history = await MaasProcess.RunAsync(Home, "models", "history", "cnn", "--json");
        var list = await MaasProcess.RunAsync(Home, "models", "list", "--json");

        Assert.Equal((0, 0, 0, 0), (first.ExitCode, second.ExitCode, history.ExitCode, list.ExitCode));
        using var moves = JsonDocument.Parse(history.Stdout);
        var last = moves.RootElement[1];
        Assert.Equal(2, moves.RootElement.GetArrayLength());
        Assert.Equal((1, 2, "cli", "better"), (last.GetProperty("from_version").GetInt32(), last.GetProperty("to_version").GetInt32(),
            last.GetProperty("moved_by").GetString(), last.GetProperty("reason").GetString()));
        using var versions = JsonDocument.Parse(list.Stdout);
        var v2 = versions.RootElement[1];
        Assert.Equal(("cnn@2", "run_2", "pets@1", "production"), (v2.GetProperty("reference").GetString(), v2.GetProperty("run_id").GetString(),
            v2.GetProperty("dataset").GetString(), v2.GetProperty("aliases")[0].GetString()));
        Assert.Equal(0.82, v2.GetProperty("metrics").GetProperty("accuracy").GetDouble(), 6);
    }

    [Fact]
    public async Task Remove_AVersionAnAliasPointsAt_ExitsConflictNamingTheAlias_ThenRemovesAnother()
    {
        string folder;
        using (var stores = await RegisterTwoVersionsAsync())
        {
            await stores.Models.SetAliasAsync("cnn", "staging", 1, "try", CancellationToken.None);
            folder = stores.Models.ArtifactPath(await stores.Models.ResolveAsync(VersionedName.Parse("cnn@2"), CancellationToken.None));
        }

        var refused = await MaasProcess.RunAsync(Home, "models", "rm", "cnn@1");
        var removed = await MaasProcess.RunAsync(Home, "models", "rm", "cnn@2", "--json");
        var show = await MaasProcess.RunAsync(Home, "models", "show", "cnn@staging", "--json");

        Assert.Equal(ExitCodes.Conflict, refused.ExitCode);
        Assert.Contains("cnn@staging", refused.Stderr, StringComparison.Ordinal);
        Assert.Equal(0, removed.ExitCode);
        Assert.False(Directory.Exists(folder));
        Assert.Equal(0, show.ExitCode);
        using var shown = JsonDocument.Parse(show.Stdout);
        Assert.Equal(("cnn@1", "run_1"), (shown.RootElement.GetProperty("reference").GetString(), shown.RootElement.GetProperty("run_id").GetString()));
    }

    [Fact]
    public async Task Keys_CreateListRevoke_ShowsTheSecretOnceAndNeverLists()
    {
        var created = await MaasProcess.RunAsync(Home, "keys", "create", "--scope", "manage", "--name", "ops", "--json");
        using var key = JsonDocument.Parse(created.Stdout);
        var id = key.RootElement.GetProperty("id").GetString()!;
        var secret = key.RootElement.GetProperty("key").GetString()!;

        var revoked = await MaasProcess.RunAsync(Home, "keys", "revoke", id);
        var list = await MaasProcess.RunAsync(Home, "keys", "list", "--json");
        var badScope = await MaasProcess.RunAsync(Home, "keys", "create", "--scope", "root");

        Assert.Equal((0, 0, 0), (created.ExitCode, revoked.ExitCode, list.ExitCode));
        Assert.StartsWith($"maas_{id}_", secret, StringComparison.Ordinal);
        Assert.DoesNotContain(secret[^20..], list.Stdout, StringComparison.Ordinal);
        using var keys = JsonDocument.Parse(list.Stdout);
        var only = Assert.Single(keys.RootElement.EnumerateArray());
        Assert.Equal((id, "ops", "manage"), (only.GetProperty("id").GetString(), only.GetProperty("name").GetString(), only.GetProperty("scope").GetString()));
        Assert.NotEqual(JsonValueKind.Null, only.GetProperty("revoked_at").ValueKind);
        Assert.Equal(ExitCodes.Usage, badScope.ExitCode);
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _temp.Dispose();
    }
}
