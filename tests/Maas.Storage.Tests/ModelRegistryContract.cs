using Maas.Core;
using Maas.Core.Errors;
using Maas.Core.Models;
using Maas.Testing;

namespace Maas.Storage.Tests;

/// <summary>
/// What every <see cref="IModelRegistry"/> must do about lineage, alias history and removal, written once: each
/// backend's test class derives from this and says how to create an empty registry over an artifact folder.
/// </summary>
public abstract class ModelRegistryContract : IDisposable
{
    private IModelRegistry? _registry;

    /// <summary>A scratch folder for staged files and the artifact store.</summary>
    protected TempFolder Home { get; } = new();

    /// <summary>A new, empty registry; called once per test.</summary>
    protected abstract IModelRegistry CreateRegistry();

    private IModelRegistry Registry => _registry ??= CreateRegistry();

    private Task<ModelVersion> RegisterAsync(string model, string? run = null, string? dataset = null, double accuracy = 0.5)
    {
        var folder = Home.Combine("staging-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, ModelVersion.OnnxFileName), "onnx");
        File.WriteAllText(Path.Combine(folder, ModelVersion.PipelineFileName), "{}");
        File.WriteAllText(Path.Combine(folder, ModelVersion.LabelsFileName), "[]");
        return Registry.RegisterAsync(model, folder, run, dataset, ["cat", "dog"], new Dictionary<string, double> { ["accuracy"] = accuracy }, CancellationToken.None);
    }

    [Fact]
    public async Task Version_CarriesItsLineageAndMetrics()
    {
        await RegisterAsync("cnn", "run_20260101_abcd", "pets@3", 0.91);

        var version = await Registry.ResolveAsync(VersionedName.Parse("cnn@1"), CancellationToken.None);

        Assert.Equal(("run_20260101_abcd", "pets@3", 0.91), (version.RunId, version.Dataset, version.Metrics["accuracy"]));
        Assert.Equal(["cat", "dog"], version.Labels);
    }

    [Fact]
    public async Task SetAlias_RecordsEveryMoveWithFromToWhoAndWhy()
    {
        await RegisterAsync("cnn");
        await RegisterAsync("cnn");
        var before = DateTimeOffset.UtcNow.AddSeconds(-1);

        await Registry.SetAliasAsync("cnn", "production", 1, "first release", CancellationToken.None);
        await Registry.SetAliasAsync("cnn", "production", 2, "better accuracy", "a1b2c3d4e5f6", CancellationToken.None);
        await Registry.SetAliasAsync("cnn", "staging", 2, "try it", "a1b2c3d4e5f6", CancellationToken.None);

        var history = await Registry.GetAliasHistoryAsync("cnn", CancellationToken.None);
        Assert.Equal(
            [("production", (int?)null, 1, "cli", "first release"), ("production", 1, 2, "a1b2c3d4e5f6", "better accuracy"), ("staging", null, 2, "a1b2c3d4e5f6", "try it")],
            history.Select(m => (m.Alias, m.FromVersion, m.ToVersion, m.MovedBy, m.Reason)));
        Assert.All(history, m => Assert.InRange(m.MovedAt, before, DateTimeOffset.UtcNow.AddSeconds(1)));
    }

    [Fact]
    public async Task SetAlias_ToAMissingVersion_ThrowsNotFoundAndRecordsNothing()
    {
        await RegisterAsync("cnn");

        await Assert.ThrowsAsync<NotFoundException>(() => Registry.SetAliasAsync("cnn", "production", 5, "oops", CancellationToken.None));

        Assert.Empty(await Registry.GetAliasHistoryAsync("cnn", CancellationToken.None));
    }

    [Fact]
    public async Task History_OfAnUnknownModel_ThrowsNotFound()
    {
        var error = await Assert.ThrowsAsync<NotFoundException>(() => Registry.GetAliasHistoryAsync("nope", CancellationToken.None));

        Assert.Contains("model 'nope' does not exist", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RemoveVersion_DeletesTheRowAndTheFolder_AndNeverReusesTheNumber()
    {
        await RegisterAsync("cnn");
        var second = await RegisterAsync("cnn");
        var folder = Registry.ArtifactPath(second);
        Assert.True(Directory.Exists(folder));

        var removed = await Registry.RemoveVersionAsync("cnn", 2, CancellationToken.None);
        var third = await RegisterAsync("cnn");

        Assert.Equal("cnn@2", removed.Reference);
        Assert.False(Directory.Exists(folder));
        Assert.Equal(["cnn@1", "cnn@3"], (await Registry.ListVersionsAsync(CancellationToken.None)).Select(v => v.Reference));
        Assert.Equal("cnn@3", third.Reference);
        await Assert.ThrowsAsync<NotFoundException>(() => Registry.ResolveAsync(VersionedName.Parse("cnn@2"), CancellationToken.None));
    }

    [Fact]
    public async Task RemoveVersion_ThatAnAliasPointsAt_IsRefusedNamingTheAlias_AndKeepsEverything()
    {
        var version = await RegisterAsync("cnn");
        await Registry.SetAliasAsync("cnn", "staging", 1, "try", CancellationToken.None);

        var error = await Assert.ThrowsAsync<ConflictException>(() => Registry.RemoveVersionAsync("cnn", 1, CancellationToken.None));

        Assert.Contains("cnn@staging", error.Message, StringComparison.Ordinal);
        Assert.True(Directory.Exists(Registry.ArtifactPath(version)));
        Assert.Single(await Registry.ListVersionsAsync(CancellationToken.None));
    }

    [Fact]
    public async Task RemoveVersion_Unknown_ThrowsNotFound()
    {
        await RegisterAsync("cnn");

        await Assert.ThrowsAsync<NotFoundException>(() => Registry.RemoveVersionAsync("cnn", 4, CancellationToken.None));
        await Assert.ThrowsAsync<NotFoundException>(() => Registry.RemoveVersionAsync("nope", 1, CancellationToken.None));
    }

    [Fact]
    public async Task Resolve_AModelWhoseVersionsWereAllRemoved_ThrowsNotFound()
    {
        await RegisterAsync("cnn");
        await Registry.RemoveVersionAsync("cnn", 1, CancellationToken.None);

        var error = await Assert.ThrowsAsync<NotFoundException>(() => Registry.ResolveAsync(VersionedName.Parse("cnn"), CancellationToken.None));

        Assert.Contains("no versions left", error.Message, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Deletes the scratch folder.</summary>
    protected virtual void Dispose(bool disposing)
    {
        if (disposing)
        {
            Home.Dispose();
        }
    }
}
