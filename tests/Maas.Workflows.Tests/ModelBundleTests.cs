using System.Text;
using Maas.Core.Errors;
using Maas.Core.Models;
using Maas.Testing;
using Maas.Workflows.Models;

namespace Maas.Workflows.Tests;

public sealed class ModelBundleTests : IDisposable
{
    private readonly TempFolder _temp = new();

    private static ModelBundleContents Contents() => new(SmallClassifier.Onnx(), SmallClassifier.Pipeline(), SmallClassifier.Labels,
        new ModelBundleMetadata(ModelBundleMetadata.Trained, "run_1", "pixels@2", [1, 1, 2], new Dictionary<string, double> { ["test_accuracy"] = 0.75 },
            new DateTimeOffset(2026, 12, 4, 12, 0, 0, TimeSpan.Zero)))
    {
        Files = new Dictionary<string, ReadOnlyMemory<byte>> { ["monitoring.json"] = Encoding.UTF8.GetBytes("""{"reference": "histograms"}""") },
    };

    [Fact]
    public async Task Write_ThenOpen_VerifiesAndReadsBackEveryFile()
    {
        var folder = _temp.Combine("bundle");
        var contents = Contents();

        await ModelBundle.WriteAsync(folder, contents, CancellationToken.None);
        var bundle = ModelBundle.Open(folder);
        bundle.Verify();

        Assert.Equal(ModelBundle.FormatVersion, bundle.Manifest!.Format);
        Assert.Equal(["model.onnx", "pipeline.json", "labels.json", "metadata.json", "monitoring.json"], bundle.Manifest.Files.Select(f => f.Name));
        Assert.All(bundle.Manifest.Files, f => Assert.Equal(new FileInfo(bundle.PathOf(f.Name)).Length, f.Size));
        Assert.Equal(contents.Onnx.ToArray(), await bundle.ReadFileAsync(ModelVersion.OnnxFileName, CancellationToken.None));
        Assert.Equal(contents.Pipeline.ToJson(), bundle.ReadPipeline().ToJson());
        Assert.Equal(SmallClassifier.Labels, bundle.ReadLabels());
        var metadata = bundle.ReadMetadata()!;
        Assert.Equal(("run_1", "pixels@2", 0.75, contents.Metadata.CreatedAt), (metadata.RunId, metadata.Dataset, metadata.Metrics["test_accuracy"], metadata.CreatedAt));
        Assert.Equal(["monitoring.json"], bundle.ExtraFileNames);
        Assert.Equal(contents.Files["monitoring.json"].ToArray(), await bundle.ReadFileAsync("monitoring.json", CancellationToken.None));
    }

    [Fact]
    public async Task Verify_OfATruncatedFile_NamesTheFileAndItsSize()
    {
        var folder = _temp.Combine("bundle");
        await ModelBundle.WriteAsync(folder, Contents(), CancellationToken.None);
        var onnx = Path.Combine(folder, ModelVersion.OnnxFileName);
        var full = new FileInfo(onnx).Length;
        using (var stream = new FileStream(onnx, FileMode.Open))
        {
            stream.SetLength(full / 2);
        }

        var error = Assert.Throws<InvalidInputException>(() => ModelBundle.Open(folder).Verify());

        Assert.Contains("model.onnx", error.Message, StringComparison.Ordinal);
        Assert.Contains($"is {full / 2} bytes but manifest.json records {full}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_OfAFlippedByte_NamesTheFileAndItsHash()
    {
        var folder = _temp.Combine("bundle");
        await ModelBundle.WriteAsync(folder, Contents(), CancellationToken.None);
        var labels = Path.Combine(folder, ModelVersion.LabelsFileName);
        var bytes = File.ReadAllBytes(labels);
        bytes[bytes.Length / 2] ^= 0x01;
        File.WriteAllBytes(labels, bytes);

        var error = Assert.Throws<InvalidInputException>(() => ModelBundle.Open(folder).Verify());

        Assert.Contains("labels.json has SHA-256", error.Message, StringComparison.Ordinal);
        Assert.Contains("damaged", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_OfAMissingExtraFile_NamesIt()
    {
        var folder = _temp.Combine("bundle");
        await ModelBundle.WriteAsync(folder, Contents(), CancellationToken.None);
        File.Delete(Path.Combine(folder, "monitoring.json"));

        var error = Assert.Throws<InvalidInputException>(() => ModelBundle.Open(folder).Verify());

        Assert.Contains("monitoring.json is missing", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_OfAVersionWrittenBeforeManifests_ChecksWhatItCan()
    {
        var folder = _temp.Combine("old");
        SmallClassifier.WriteFiles(folder);

        var bundle = ModelBundle.Open(folder);
        bundle.Verify();

        Assert.Null(bundle.Manifest);
        Assert.Null(bundle.ReadMetadata());
        Assert.Equal(SmallClassifier.Labels, bundle.ReadLabels());

        File.WriteAllText(Path.Combine(folder, ModelVersion.OnnxFileName), "<html>404 not found</html>");
        var broken = Assert.Throws<InvalidInputException>(() => ModelBundle.Open(folder).Verify());
        Assert.Contains("model.onnx is not an ONNX model", broken.Message, StringComparison.Ordinal);

        File.Delete(Path.Combine(folder, ModelVersion.LabelsFileName));
        var missing = Assert.Throws<InvalidInputException>(() => ModelBundle.Open(folder).Verify());
        Assert.Contains("labels.json is missing", missing.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("manifest.json")]
    [InlineData("../escape.json")]
    [InlineData(".hidden")]
    public async Task Write_RefusesAnExtraFileNameThatIsNotItsOwn(string name)
    {
        var contents = Contents() with { Files = new Dictionary<string, ReadOnlyMemory<byte>> { [name] = new byte[] { 1 } } };

        var error = await Assert.ThrowsAsync<InvalidInputException>(() => ModelBundle.WriteAsync(_temp.Combine("bundle"), contents, CancellationToken.None));

        Assert.Contains(name, error.Message, StringComparison.Ordinal);
    }

    public void Dispose() => _temp.Dispose();
}
