using System.Text.Json;
using Google.Protobuf;
using Maas.Core;
using Maas.Core.Errors;
using Maas.Core.Pipelines;
using Maas.Inference;
using Maas.Storage;
using Maas.Testing;
using Onnx;

namespace Maas.Cli.Tests;

/// <summary>
/// <c>maas models register</c> on ONNX files written by the project's own exporter, cut down to the single output an
/// external classifier has.
/// </summary>
public sealed class CliRegisterTests : IDisposable
{
    private readonly TempFolder _temp = new();

    private string Home => _temp.Combine("home");

    // Keeps only the named output of an exported model (logits or probabilities), as another tool would have written it.
    private string KeepOnlyOutput(string exported, string output)
    {
        var model = ModelProto.Parser.ParseFrom(File.ReadAllBytes(exported));
        foreach (var other in model.Graph.Output.Where(o => o.Name != output).ToList())
        {
            model.Graph.Output.Remove(other);
            // The node that made it goes too, unless another node reads its value (softmax reads the logits).
            if (!model.Graph.Node.Any(n => n.Input.Contains(other.Name)))
            {
                model.Graph.Node.Remove(model.Graph.Node.Single(n => n.Output.Contains(other.Name)));
            }
        }

        var path = _temp.Combine($"{output}.onnx");
        File.WriteAllBytes(path, model.ToByteArray());
        return path;
    }

    [Fact]
    public async Task Register_ExportedClassifiers_ServeTheSameProbabilitiesAndScoreAsTrained()
    {
        FashionMnist.WriteSubset(_temp.Combine("idx"), 300, 100, gzip: true);
        Assert.Equal(0, (await MaasProcess.RunAsync(Home, "dataset", "import", _temp.Combine("idx"), "--name", "fashion")).ExitCode);
        var train = await MaasProcess.RunAsync(Home, "train", "fashion@1", "--model", "tiny-cnn", "--epochs", "1", "--batch-size", "64", "--json");
        Assert.True(train.ExitCode == 0, train.Stderr);
        using var trained = JsonDocument.Parse(train.Stdout);
        var runFolder = Path.Combine(Home, "artifacts", "runs", trained.RootElement.GetProperty("run").GetString()!);
        var pipeline = Path.Combine(runFolder, "pipeline.json");
        var labels = _temp.Combine("labels.txt");
        // IDX files carry no class names, so the dataset calls its classes 0..9.
        await File.WriteAllLinesAsync(labels, Enumerable.Range(0, 10).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        var logits = KeepOnlyOutput(Path.Combine(runFolder, "model.onnx"), "logits");
        var probabilities = KeepOnlyOutput(Path.Combine(runFolder, "model.onnx"), "probabilities");

        var fromLogits = await MaasProcess.RunAsync(Home, "models", "register", "ext", "--onnx", logits, "--pipeline", pipeline, "--labels", labels, "--json");
        var fromProbabilities = await MaasProcess.RunAsync(Home, "models", "register", "ext", "--onnx", probabilities, "--pipeline", pipeline,
            "--labels", Path.Combine(runFolder, "labels.json"), "--outputs", "probabilities");
        var eval = await MaasProcess.RunAsync(Home, "eval", "ext@1", "--data", "fashion@1", "--json");

        Assert.True(fromLogits.ExitCode == 0, fromLogits.Stderr);
        using (var json = JsonDocument.Parse(fromLogits.Stdout))
        {
            Assert.Equal(("ext@1", "probabilities", "logits"), (json.RootElement.GetProperty("reference").GetString(),
                json.RootElement.GetProperty("output").GetString(), json.RootElement.GetProperty("outputs").GetString()));
        }

        Assert.True(fromProbabilities.ExitCode == 0, fromProbabilities.Stderr);
        Assert.True(eval.ExitCode == 0, eval.Stderr);
        using (var json = JsonDocument.Parse(eval.Stdout))
        {
            Assert.Equal(trained.RootElement.GetProperty("evaluation").GetProperty("accuracy").GetDouble(),
                json.RootElement.GetProperty("scores").GetProperty("report").GetProperty("accuracy").GetDouble(), 0.011);
        }

        // Both registered versions give, for the same image, the probabilities of the model as exported.
        using var stores = MaasStores.Open(new MaasHome(Home));
        using var reference = new LoadedModel(await stores.Models.ResolveAsync(VersionedName.Parse("ext@1"), CancellationToken.None), runFolder);
        var (pixels, _) = FashionMnist.TestImage(0);
        var image = Imaging.ImageEncoder.EncodePng(pixels, 28, 28, 1);
        var expected = reference.Run(reference.Preprocess(image, "test/0"), 1);
        foreach (var name in new[] { "ext@1", "ext@2" })
        {
            var version = await stores.Models.ResolveAsync(VersionedName.Parse(name), CancellationToken.None);
            using var loaded = new LoadedModel(version, stores.Models.ArtifactPath(version));
            var actual = loaded.Run(loaded.Preprocess(image, "test/0"), 1);
            Assert.Equal(expected.Length, actual.Length);
            for (int i = 0; i < expected.Length; i++)
            {
                Assert.Equal(expected[i], actual[i], 5);
            }
        }
    }

    [Fact]
    public async Task Register_AModelThatDoesNotFit_ExitsInvalidInputNamingTheMismatch()
    {
        var onnx = _temp.Combine("linear.onnx");
        await File.WriteAllBytesAsync(onnx, LinearClassifier.Onnx(channels: 1, height: 8, width: 8, classes: 3));
        var pipeline = _temp.Combine("pipeline.json");
        await File.WriteAllTextAsync(pipeline, PipelineSpec.ForImages(ColorMode.Gray, 8, 8).ToJson());
        var wrongSize = _temp.Combine("wrong.json");
        await File.WriteAllTextAsync(wrongSize, PipelineSpec.ForImages(ColorMode.Gray, 10, 10).ToJson());
        var labels = _temp.Combine("labels.json");
        await File.WriteAllTextAsync(labels, """["a", "b"]""");
        var three = _temp.Combine("three.txt");
        await File.WriteAllTextAsync(three, "a\nb\nc\n");

        var classCount = await MaasProcess.RunAsync(Home, "models", "register", "lin", "--onnx", onnx, "--pipeline", pipeline, "--labels", labels);
        var shape = await MaasProcess.RunAsync(Home, "models", "register", "lin", "--onnx", onnx, "--pipeline", wrongSize, "--labels", three);
        var notProbabilities = await MaasProcess.RunAsync(Home, "models", "register", "lin", "--onnx", onnx, "--pipeline", pipeline, "--labels", three, "--outputs", "probabilities");
        var missing = await MaasProcess.RunAsync(Home, "models", "register", "lin", "--onnx", _temp.Combine("none.onnx"), "--pipeline", pipeline, "--labels", three);
        var fine = await MaasProcess.RunAsync(Home, "models", "register", "lin", "--onnx", onnx, "--pipeline", pipeline, "--labels", three);

        Assert.Equal(ExitCodes.InvalidInput, classCount.ExitCode);
        Assert.Contains("3 classes but 2 labels", classCount.Stderr, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.InvalidInput, shape.ExitCode);
        Assert.Contains("1x10x10", shape.Stderr, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.InvalidInput, notProbabilities.ExitCode);
        Assert.Contains("--outputs logits", notProbabilities.Stderr, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.NotFound, missing.ExitCode);
        Assert.Contains("none.onnx", missing.Stderr, StringComparison.Ordinal);
        Assert.True(fine.ExitCode == 0, fine.Stderr);
    }

    public void Dispose() => _temp.Dispose();
}
