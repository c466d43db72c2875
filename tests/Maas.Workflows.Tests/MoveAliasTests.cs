using Maas.Core;
using Maas.Core.Errors;
using Maas.Core.Models;
using Maas.Storage;
using Maas.Testing;
using Maas.Workflows.Models;

namespace Maas.Workflows.Tests;

public sealed class MoveAliasTests : IDisposable
{
    private readonly TempFolder _home = new();
    private readonly MaasStores _stores;

    public MoveAliasTests() => _stores = MaasStores.Open(new MaasHome(_home.Path));

    private async Task RegisterAsync(string model)
    {
        var folder = _home.Combine("staging-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, ModelVersion.OnnxFileName), "onnx");
        File.WriteAllText(Path.Combine(folder, ModelVersion.PipelineFileName), "{}");
        File.WriteAllText(Path.Combine(folder, ModelVersion.LabelsFileName), "[]");
        await _stores.Models.RegisterAsync(model, folder, null, null, ["cat", "dog"], new Dictionary<string, double>(), CancellationToken.None);
    }

    [Fact]
    public async Task Move_PointsTheAlias_AndRecordsWhoAndWhy()
    {
        await RegisterAsync("cnn");
        await RegisterAsync("cnn");
        var move = new MoveAlias(_stores.Models);

        await move.RunAsync(new MoveAliasRequest("cnn", "production", 1, "first release", AliasMove.Cli), CancellationToken.None);
        var moved = await move.RunAsync(new MoveAliasRequest("cnn", "production", 2, "better accuracy", "key_ops"), CancellationToken.None);

        Assert.Equal(("cnn", "production", 2), (moved.Model, moved.Alias, moved.Version));
        Assert.Equal(2, (await _stores.Models.ResolveAsync(VersionedName.Parse("cnn@production"), CancellationToken.None)).Version);
        var last = (await _stores.Models.GetAliasHistoryAsync("cnn", CancellationToken.None))[^1];
        Assert.Equal((1, 2, "key_ops", "better accuracy"), (last.FromVersion, last.ToVersion, last.MovedBy, last.Reason));
    }

    [Theory]
    [InlineData("cnn", "production", 1, " ", "key_ops", "'reason' is required")]
    [InlineData("cnn", "production", 1, "why", "", "who moves the alias is required")]
    [InlineData("bad name!", "production", 1, "why", "key_ops", "bad name!")]
    [InlineData("cnn", "2fast", 1, "why", "key_ops", "must start with a letter")]
    public async Task Move_BadRequest_IsRefusedNamingTheProblem_AndMovesNothing(string model, string alias, int version, string reason, string movedBy, string expected)
    {
        await RegisterAsync("cnn");

        var error = await Assert.ThrowsAsync<InvalidInputException>(() =>
            new MoveAlias(_stores.Models).RunAsync(new MoveAliasRequest(model, alias, version, reason, movedBy), CancellationToken.None));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.Empty(await _stores.Models.GetAliasHistoryAsync("cnn", CancellationToken.None));
    }

    [Fact]
    public async Task Move_ToAVersionThatDoesNotExist_IsNotFound()
    {
        await RegisterAsync("cnn");

        var error = await Assert.ThrowsAsync<NotFoundException>(() =>
            new MoveAlias(_stores.Models).RunAsync(new MoveAliasRequest("cnn", "production", 7, "why", "key_ops"), CancellationToken.None));

        Assert.Contains("cnn@7", error.Message, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        _stores.Dispose();
        _home.Dispose();
    }
}
