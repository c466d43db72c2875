using Maas.Imaging;
using Maas.Testing;
using Maas.Workflows.Tuning;

namespace Maas.Cli.Tests;

/// <summary>Every spec under <c>examples/</c> works as its README says: pipelines preview, search spaces parse.</summary>
public sealed class ExampleSpecTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public static TheoryData<string> Pipelines() => [.. Files("pipelines")];

    public static TheoryData<string> Spaces() => [.. Files("tuning")];

    [Theory]
    [MemberData(nameof(Pipelines))]
    public async Task ExamplePipeline_PreviewsOnTheDataItIsFor(string name)
    {
        var home = _temp.Combine("home");
        var dataset = name.StartsWith("photo", StringComparison.Ordinal) ? await ImportPhotosAsync(home) : await ImportFashionAsync(home);
        var sheet = _temp.Combine("sheet.png");

        var preview = await MaasProcess.RunAsync(home, "preprocess", "preview", dataset, "--pipeline",
            RepositoryFolder.Combine("examples", "pipelines", name), "--out", sheet, "--samples", "2", "--variants", "3");

        Assert.True(preview.ExitCode == 0, preview.Stderr);
        var info = ImageDecoder.ReadInfo(await File.ReadAllBytesAsync(sheet), "sheet");
        Assert.True(info.Width > 0 && info.Height > 0);
    }

    [Theory]
    [MemberData(nameof(Spaces))]
    public void ExampleSearchSpace_Parses_AndDrawsValidOptions(string name)
    {
        var space = SearchSpace.Load(RepositoryFolder.Combine("examples", "tuning", name));

        Assert.NotEmpty(space.Parameters);
        var random = new Random(7);
        for (var i = 0; i < 20; i++)
        {
            space.Sample(random, new Maas.Training.TrainingOptions()).Validate();
        }
    }

    [Fact]
    public void EveryExampleFolder_HasAReadme()
    {
        foreach (var folder in Directory.GetDirectories(RepositoryFolder.Combine("examples")).Append(RepositoryFolder.Combine("examples")))
        {
            Assert.True(File.Exists(Path.Combine(folder, "README.md")), $"{folder} has no README.md");
        }
    }

    private static IEnumerable<string> Files(string folder) =>
        Directory.EnumerateFiles(RepositoryFolder.Combine("examples", folder))
            .Where(f => Path.GetExtension(f) is ".yaml" or ".yml" or ".json")
            .Select(Path.GetFileName)
            .Order(StringComparer.Ordinal)!;

    private async Task<string> ImportFashionAsync(string home)
    {
        FashionMnist.WriteSubset(_temp.Combine("idx"), 40, 10, gzip: true);
        var import = await MaasProcess.RunAsync(home, "dataset", "import", _temp.Combine("idx"), "--name", "fashion");
        Assert.True(import.ExitCode == 0, import.Stderr);
        return "fashion@1";
    }

    private async Task<string> ImportPhotosAsync(string home)
    {
        var photos = Directory.GetFiles("/usr/share/backgrounds/mate/nature", "*.jpg").Order(StringComparer.Ordinal).Take(4).ToArray();
        for (var i = 0; i < photos.Length; i++)
        {
            var folder = _temp.Combine("photos", i % 2 == 0 ? "even" : "odd");
            Directory.CreateDirectory(folder);
            File.Copy(photos[i], Path.Combine(folder, Path.GetFileName(photos[i])));
        }

        var import = await MaasProcess.RunAsync(home, "dataset", "import", _temp.Combine("photos"), "--name", "photos");
        Assert.True(import.ExitCode == 0, import.Stderr);
        return "photos@1";
    }

    public void Dispose() => _temp.Dispose();
}
