using Maas.Core;
using Maas.Core.Models;
using Maas.Storage.Sqlite;
using Maas.Testing;
using Microsoft.Data.Sqlite;

namespace Maas.Storage.Tests;

/// <summary>Registering a version and moving its aliases is one transaction: both happen or neither does.</summary>
public sealed class AtomicRegistrationTests : IDisposable
{
    private readonly TempFolder _home = new();
    private readonly MaasStores _stores;

    public AtomicRegistrationTests() => _stores = MaasStores.Open(new MaasHome(_home.Path));

    private string Stage(string marker)
    {
        var folder = _home.Combine("staging-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, ModelVersion.OnnxFileName), marker);
        File.WriteAllText(Path.Combine(folder, ModelVersion.PipelineFileName), "{}");
        File.WriteAllText(Path.Combine(folder, ModelVersion.LabelsFileName), "[]");
        return folder;
    }

    private ModelRegistration Production(string staged) =>
        new("cnn", staged, ["cat", "dog"]) { RunId = "run_1", Aliases = [WellKnownAliases.Production], AliasReason = "registered by run_1" };

    [Fact]
    public async Task Register_WithAliases_PointsThemAtTheNewVersion_AndRecordsTheMove()
    {
        var v1 = await _stores.Models.RegisterAsync(Production(Stage("one")), CancellationToken.None);
        var v2 = await _stores.Models.RegisterAsync(Production(Stage("two")) with { Aliases = [WellKnownAliases.Production, "latest"] }, CancellationToken.None);

        Assert.Equal(2, (await _stores.Models.ResolveAsync(VersionedName.Parse("cnn@production"), CancellationToken.None)).Version);
        Assert.Equal(2, (await _stores.Models.ResolveAsync(VersionedName.Parse("cnn@latest"), CancellationToken.None)).Version);
        Assert.Equal("two", File.ReadAllText(Path.Combine(_stores.Models.ArtifactPath(v2), ModelVersion.OnnxFileName)));
        var history = await _stores.Models.GetAliasHistoryAsync("cnn", CancellationToken.None);
        Assert.Equal([("production", (int?)null, v1.Version), ("production", 1, 2), ("latest", null, 2)], history.Select(m => (m.Alias, m.FromVersion, m.ToVersion)));
        Assert.All(history, m => Assert.Equal("registered by run_1", m.Reason));
    }

    [Fact]
    public async Task Register_WhenTheAliasMoveFails_KeepsNeitherTheVersionNorTheMove()
    {
        await _stores.Models.RegisterAsync(Production(Stage("one")), CancellationToken.None);
        // A real failure between the version row and the alias row, inside the registry's transaction.
        using (var connection = new SqliteDatabase(_stores.Home.DatabasePath).Open())
        using (var trigger = connection.CreateCommand())
        {
            trigger.CommandText = "CREATE TRIGGER refuse_alias BEFORE UPDATE ON model_aliases BEGIN SELECT RAISE(ABORT, 'alias refused'); END;"
                + "CREATE TRIGGER refuse_alias_insert BEFORE INSERT ON model_aliases BEGIN SELECT RAISE(ABORT, 'alias refused'); END;";
            trigger.ExecuteNonQuery();
        }

        var staged = Stage("two");
        var error = await Assert.ThrowsAsync<SqliteException>(() => _stores.Models.RegisterAsync(Production(staged), CancellationToken.None));

        Assert.Contains("alias refused", error.Message, StringComparison.Ordinal);
        Assert.Equal([1], (await _stores.Models.ListVersionsAsync(CancellationToken.None)).Select(v => v.Version));
        Assert.Equal(1, (await _stores.Models.ResolveAsync(VersionedName.Parse("cnn@production"), CancellationToken.None)).Version);
        Assert.Single(await _stores.Models.GetAliasHistoryAsync("cnn", CancellationToken.None));
        Assert.False(Directory.Exists(Path.Combine(_stores.Home.ArtifactsPath, "models", "cnn", "2")));
        Assert.Equal("two", File.ReadAllText(Path.Combine(staged, ModelVersion.OnnxFileName)));
    }

    [Fact]
    public async Task Register_OfANewModel_WhenTheAliasMoveFails_LeavesNoModelBehind()
    {
        using (var connection = new SqliteDatabase(_stores.Home.DatabasePath).Open())
        using (var trigger = connection.CreateCommand())
        {
            trigger.CommandText = "CREATE TRIGGER refuse_alias_insert BEFORE INSERT ON model_aliases BEGIN SELECT RAISE(ABORT, 'alias refused'); END;";
            trigger.ExecuteNonQuery();
        }

        await Assert.ThrowsAsync<SqliteException>(() => _stores.Models.RegisterAsync(Production(Stage("one")), CancellationToken.None));

        Assert.Empty(await _stores.Models.ListVersionsAsync(CancellationToken.None));
        Assert.Empty(await _stores.Models.ListAliasesAsync(CancellationToken.None));
        await Assert.ThrowsAsync<Core.Errors.NotFoundException>(() => _stores.Models.GetAliasHistoryAsync("cnn", CancellationToken.None));
    }

    public void Dispose()
    {
        _stores.Dispose();
        _home.Dispose();
    }
}
