using Maas.Core;
using Maas.Core.Errors;
using Maas.Core.Models;
using Maas.Core.Runs;
using Maas.Datasets;
using Maas.Storage;
using Maas.Testing;
using Maas.Training;
using Maas.Workflows.Models;
using Maas.Workflows.Training;

namespace Maas.Workflows.Tests;

[Collection(TorchCollection.Name)]
public sealed class RegistrationAfterTrainingTests : IDisposable
{
    private static readonly TrainingOptions s_options = new() { Architecture = "tiny-cnn", Epochs = 1, BatchSize = 64, Threads = 1, Seed = 3 };
    private readonly TempFolder _temp = new();

    [Fact]
    public async Task FailedRegistration_LeavesTheRunCompletedWithItsMetrics_AndSaysHowToRetry_WhichThenWorks()
    {
        using var stores = MaasStores.Open(new MaasHome(_temp.Combine("home")));
        Testing.FashionMnist.WriteSubset(_temp.Combine("idx"), 128, 64, gzip: true);
        var import = await new DatasetImporter(stores).ImportAsync(_temp.Combine("idx"), "fashion", new ImportOptions(Testing.FashionMnist.ClassNames), null,
            CancellationToken.None);
        // A file where the model's version folders would go: the registry cannot create them, a real I/O failure.
        var blocked = Path.Combine(stores.Home.ArtifactsPath, "models", "fashion-cnn");
        Directory.CreateDirectory(Path.GetDirectoryName(blocked)!);
        File.WriteAllText(blocked, "in the way");

        var outcome = await new TrainingJob(stores).RunAsync(new TrainingRequest(VersionedName.Parse(import.Version.Reference), s_options, "fashion-cnn"),
            null, CancellationToken.None);

        Assert.Equal(RunStatus.Completed, outcome.Run.Status);
        Assert.Null(outcome.Registered);
        var failure = outcome.RegistrationFailed!;
        Assert.Equal("fashion-cnn", failure.Model);
        Assert.Equal($"maas models register fashion-cnn --run {outcome.Run.Id}", failure.Retry);
        Assert.NotEqual(ExitCodes.Success, failure.ExitCode);
        var stored = await stores.Runs.GetAsync(outcome.Run.Id, CancellationToken.None);
        Assert.Equal(RunStatus.Completed, stored.Status);
        Assert.Equal(outcome.Evaluation.Accuracy, stored.Metrics["test_accuracy"]);
        Assert.Equal(1, stored.Metrics["epochs"]);
        Assert.Empty(await stores.Models.ListVersionsAsync(CancellationToken.None));
        ModelBundle.Open(Path.Combine(stores.Home.ArtifactsPath, stored.ArtifactDir)).Verify();

        File.Delete(blocked);
        var retried = await new RegistrationJob(stores).RunAsync(
            new RegistrationRequest("fashion-cnn") { RunId = outcome.Run.Id, Aliases = [WellKnownAliases.Production] }, null, CancellationToken.None);

        Assert.Equal("fashion-cnn@1", retried.Version.Reference);
        Assert.Equal((outcome.Run.Id, import.Version.Reference), (retried.Version.RunId, retried.Version.Dataset));
        Assert.Equal(stored.Metrics["test_accuracy"], retried.Version.Metrics["test_accuracy"]);
        Assert.Equal(1, (await stores.Models.ResolveAsync(VersionedName.Parse("fashion-cnn@production"), CancellationToken.None)).Version);
        var bundle = ModelBundle.Open(retried.ArtifactPath);
        bundle.Verify();
        Assert.Equal((ModelBundleMetadata.Trained, outcome.Run.Id), (bundle.ReadMetadata()!.Source, bundle.ReadMetadata()!.RunId));
        Assert.Equal(Testing.FashionMnist.ClassNames, bundle.ReadLabels());
    }

    public void Dispose() => _temp.Dispose();
}
