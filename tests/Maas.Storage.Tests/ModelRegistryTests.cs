using Maas.Core;
using Maas.Core.Errors;
using Maas.Core.Models;
using Maas.Testing;

namespace Maas.Storage.Tests;

public sealed class ModelRegistryTests : IDisposable
{
    private readonly TempFolder _home = new();
    private readonly MaasStores _stores;

    public ModelRegistryTests() => _stores = MaasStores.Open(new MaasHome(_home.Path));

    private string Stage(string marker)
    {
        var folder = _home.Combine("staging-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, ModelVersion.OnnxFileName), marker);
        File.WriteAllText(Path.Combine(folder, ModelVersion.PipelineFileName), "{}");
        File.WriteAllText(Path.Combine(folder, ModelVersion.LabelsFileName), "[]");
        return folder;
    }

    [Fact]
    public async Task Register_MovesFilesIntoTheVersionFolder_AndNumbersVersions()
    {
        var registry = _stores.Models;
        var staged = Stage("one");
        var v1 = await registry.RegisterAsync("cnn", staged, "run_1", "pets@1", ["cat"], new Dictionary<string, double> { ["accuracy"] = 0.5 }, CancellationToken.None);
        var v2 = await registry.RegisterAsync("cnn", Stage("two"), null, null, ["cat"], new Dictionary<string, double>(), CancellationToken.None);

        Assert.Equal(("cnn@1", "cnn@2"), (v1.Reference, v2.Reference));
        Assert.False(Directory.Exists(staged));
        Assert.Equal("one", File.ReadAllText(Path.Combine(registry.ArtifactPath(v1), ModelVersion.OnnxFileName)));
        Assert.Equal(0.5, (await registry.ResolveAsync(VersionedName.Parse("cnn@1"), CancellationToken.None)).Metrics["accuracy"]);
    }

    [Fact]
    public async Task Resolve_PlainName_FollowsProductionAliasElseLatest()
    {
        var registry = _stores.Models;
        await registry.RegisterAsync("cnn", Stage("one"), null, null, ["cat"], new Dictionary<string, double>(), CancellationToken.None);
        await registry.RegisterAsync("cnn", Stage("two"), null, null, ["cat"], new Dictionary<string, double>(), CancellationToken.None);

        Assert.Equal(2, (await registry.ResolveAsync(VersionedName.Parse("cnn"), CancellationToken.None)).Version);
        await registry.SetAliasAsync("cnn", WellKnownAliases.Production, 1, "rollback", CancellationToken.None);
        Assert.Equal(1, (await registry.ResolveAsync(VersionedName.Parse("cnn"), CancellationToken.None)).Version);
        Assert.Equal(1, (await registry.ResolveAsync(VersionedName.Parse("cnn@production"), CancellationToken.None)).Version);
    }

    [Fact]
    public async Task Resolve_UnknownModelOrAlias_ThrowsNotFound()
    {
        await _stores.Models.RegisterAsync("cnn", Stage("one"), null, null, ["cat"], new Dictionary<string, double>(), CancellationToken.None);

        var unknownModel = await Assert.ThrowsAsync<NotFoundException>(() => _stores.Models.ResolveAsync(VersionedName.Parse("nope"), CancellationToken.None));
        var unknownAlias = await Assert.ThrowsAsync<NotFoundException>(() => _stores.Models.ResolveAsync(VersionedName.Parse("cnn@staging"), CancellationToken.None));
        var unknownVersion = await Assert.ThrowsAsync<NotFoundException>(() => _stores.Models.ResolveAsync(VersionedName.Parse("cnn@9"), CancellationToken.None));

        Assert.Equal("model 'nope' does not exist (known: cnn).", unknownModel.Message);
        Assert.Contains("alias 'staging' is not set", unknownAlias.Message, StringComparison.Ordinal);
        Assert.Contains("version 9 does not exist", unknownVersion.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Register_WithMissingFiles_IsRefusedAndRegistersNothing()
    {
        var staged = Stage("one");
        File.Delete(Path.Combine(staged, ModelVersion.PipelineFileName));

        await Assert.ThrowsAsync<InvalidInputException>(() =>
            _stores.Models.RegisterAsync("cnn", staged, null, null, ["cat"], new Dictionary<string, double>(), CancellationToken.None));

        Assert.Empty(await _stores.Models.ListVersionsAsync(CancellationToken.None));
    }

    public void Dispose() => _home.Dispose();
}
