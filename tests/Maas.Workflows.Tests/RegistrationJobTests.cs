using Maas.Core;
using Maas.Core.Errors;
using Maas.Core.Models;
using Maas.Storage;
using Maas.Testing;
using Maas.Workflows.Models;

namespace Maas.Workflows.Tests;

public sealed class RegistrationJobTests : IDisposable
{
    private readonly TempFolder _temp = new();

    [Fact]
    public async Task External_RegistersAVerifiedBundle_WithItsMetadata_AndMovesOnlyTheAliasesAsked()
    {
        using var stores = MaasStores.Open(new MaasHome(_temp.Combine("home")));
        var (onnx, pipeline, labels) = SmallClassifier.WriteFiles(_temp.Combine("external"));
        var job = new RegistrationJob(stores);

        var first = await job.RunAsync(new RegistrationRequest("tiny") { Files = new ExternalModelFiles(onnx, pipeline, labels, ClassifierOutputs.Probabilities) },
            null, CancellationToken.None);
        var second = await job.RunAsync(new RegistrationRequest("tiny")
        {
            Files = new ExternalModelFiles(onnx, pipeline, labels, ClassifierOutputs.Probabilities),
            Aliases = [WellKnownAliases.Production],
        }, null, CancellationToken.None);

        Assert.Equal((1, 2), (first.Version.Version, second.Version.Version));
        Assert.Equal(("input", "probabilities", new Imaging.TensorShape(1, 1, 2)), (first.InputName, first.OutputName, first.InputShape));
        var bundle = ModelBundle.Open(first.ArtifactPath);
        bundle.Verify();
        Assert.Equal(["model.onnx", "pipeline.json", "labels.json", "metadata.json"], bundle.Manifest!.Files.Select(f => f.Name));
        Assert.Equal(File.ReadAllBytes(onnx), await bundle.ReadFileAsync(ModelVersion.OnnxFileName, CancellationToken.None));
        Assert.Equal((ModelBundleMetadata.External, (string?)null), (bundle.ReadMetadata()!.Source, bundle.ReadMetadata()!.RunId));
        var alias = Assert.Single(await stores.Models.ListAliasesAsync(CancellationToken.None));
        Assert.Equal((WellKnownAliases.Production, 2), (alias.Alias, alias.Version));
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(stores.Home.ArtifactsPath, ".staging")));
    }

    [Fact]
    public async Task Request_WithBothOrNeitherSource_IsRefusedBeforeAnythingIsWritten()
    {
        using var stores = MaasStores.Open(new MaasHome(_temp.Combine("home")));
        var (onnx, pipeline, labels) = SmallClassifier.WriteFiles(_temp.Combine("external"));
        var job = new RegistrationJob(stores);

        var neither = await Assert.ThrowsAsync<InvalidInputException>(() => job.RunAsync(new RegistrationRequest("tiny"), null, CancellationToken.None));
        var both = await Assert.ThrowsAsync<InvalidInputException>(() => job.RunAsync(
            new RegistrationRequest("tiny") { RunId = "run_x", Files = new ExternalModelFiles(onnx, pipeline, labels) }, null, CancellationToken.None));

        Assert.Contains("--run RUN", neither.Message, StringComparison.Ordinal);
        Assert.Contains("not both", both.Message, StringComparison.Ordinal);
        Assert.Empty(await stores.Models.ListVersionsAsync(CancellationToken.None));
    }

    [Fact]
    public async Task External_WithTooFewLabels_NamesTheLabelsFile_AndRegistersNothing()
    {
        using var stores = MaasStores.Open(new MaasHome(_temp.Combine("home")));
        var (onnx, pipeline, _) = SmallClassifier.WriteFiles(_temp.Combine("external"));
        var two = _temp.Combine("two.txt");
        File.WriteAllLines(two, ["left", "right"]);

        var error = await Assert.ThrowsAsync<InvalidInputException>(() => new RegistrationJob(stores).RunAsync(
            new RegistrationRequest("tiny") { Files = new ExternalModelFiles(onnx, pipeline, two, ClassifierOutputs.Probabilities) }, null, CancellationToken.None));

        Assert.Contains("3 classes but 2 labels", error.Message, StringComparison.Ordinal);
        Assert.Empty(await stores.Models.ListVersionsAsync(CancellationToken.None));
    }

    public void Dispose() => _temp.Dispose();
}
