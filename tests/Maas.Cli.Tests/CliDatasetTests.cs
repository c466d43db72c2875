using System.Text.Json;
using Maas.Core;
using Maas.Core.Errors;
using Maas.Core.Models;
using Maas.Storage;
using Maas.Testing;

namespace Maas.Cli.Tests;

/// <summary><c>maas dataset diff|export|rm|show</c> run as a user runs them.</summary>
public sealed class CliDatasetTests : IDisposable
{
    private readonly TempFolder _temp = new();

    private string Home => _temp.Combine("home");

    /// <summary>Writes root/&lt;split&gt;/&lt;class&gt;/&lt;i&gt;.png, every image distinct (sizes vary with the class).</summary>
    private static void WriteTree(string root, params (string Split, string Class, int Count, int Seed)[] folders)
    {
        foreach (var (split, cls, count, seed) in folders)
        {
            var folder = Path.Combine(root, split, cls);
            Directory.CreateDirectory(folder);
            for (var i = 0; i < count; i++)
            {
                File.WriteAllBytes(Path.Combine(folder, $"{i}.png"), TestImages.GradientRgbPng(4 + (seed / 50), 4, (byte)(seed + i)));
            }
        }
    }

    private async Task<JsonDocument> JsonOf(params string[] args)
    {
        var result = await MaasProcess.RunAsync(Home, [.. args, "--json"]);
        Assert.True(result.ExitCode == 0, $"maas {string.Join(' ', args)} exited {result.ExitCode}: {result.Stderr}");
        return JsonDocument.Parse(result.Stdout);
    }

    /// <summary>counts[split][class] from <c>maas dataset show --json</c>.</summary>
    private async Task<Dictionary<string, Dictionary<string, int>>> CountsOf(string reference)
    {
        using var show = await JsonOf("dataset", "show", reference);
        return show.RootElement.GetProperty("counts").Deserialize<Dictionary<string, Dictionary<string, int>>>()!;
    }

    [Fact]
    public async Task Diff_TwoImportsOfAnEditedTree_ListsAddedRemovedAndChanged()
    {
        var one = _temp.Combine("one");
        WriteTree(one, ("train", "cat", 4, 0), ("test", "cat", 2, 100));
        var two = _temp.Combine("two");
        WriteTree(two, ("train", "cat", 5, 0), ("test", "cat", 2, 100));
        File.Delete(Path.Combine(two, "train", "cat", "0.png"));
        File.WriteAllBytes(Path.Combine(two, "train", "cat", "1.png"), TestImages.GradientRgbPng(4, 4, 200));
        (await JsonOf("dataset", "import", one, "--name", "pets")).Dispose();
        (await JsonOf("dataset", "import", two, "--name", "pets")).Dispose();

        using var diff = await JsonOf("dataset", "diff", "pets@1", "pets@2");
        var human = await MaasProcess.RunAsync(Home, "dataset", "diff", "pets@1", "pets@2", "--limit", "1");

        string[] Ids(string list) => diff.RootElement.GetProperty(list).EnumerateArray().Select(e => e.GetProperty("sample_id").GetString()!).ToArray();
        Assert.Equal([Path.Combine("train", "cat", "4.png")], Ids("added"));
        Assert.Equal([Path.Combine("train", "cat", "0.png")], Ids("removed"));
        Assert.Equal([Path.Combine("train", "cat", "1.png")], Ids("changed"));
        Assert.Empty(Ids("relabelled"));
        Assert.Equal(4, diff.RootElement.GetProperty("unchanged").GetInt32());
        Assert.Equal(0, human.ExitCode);
        Assert.Contains("1 added, 1 removed, 0 relabelled, 1 changed", human.Stdout, StringComparison.Ordinal);
        Assert.Contains("first 1 of 3 rows shown", human.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Diff_SameImagesUnderOtherClassNames_ListsThemAsRelabelled()
    {
        var idx = _temp.Combine("idx");
        FashionMnist.WriteSubset(idx, 30, 10, gzip: true);
        (await JsonOf("dataset", "import", idx, "--name", "digits")).Dispose();
        (await JsonOf("dataset", "import", idx, "--name", "fashion", "--classes", string.Join(',', FashionMnist.ClassNames))).Dispose();

        using var diff = await JsonOf("dataset", "diff", "digits@1", "fashion@1");

        var relabelled = diff.RootElement.GetProperty("relabelled").EnumerateArray().ToArray();
        Assert.Equal(40, relabelled.Length);
        Assert.All(relabelled, r => Assert.Equal(
            FashionMnist.ClassNames[int.Parse(r.GetProperty("before").GetProperty("class_name").GetString()!, System.Globalization.CultureInfo.InvariantCulture)],
            r.GetProperty("after").GetProperty("class_name").GetString()));
        Assert.Empty(diff.RootElement.GetProperty("changed").EnumerateArray());
        Assert.Empty(diff.RootElement.GetProperty("added").EnumerateArray());
    }

    [Fact]
    public async Task Export_ThenImport_KeepsCountsPerSplitAndClassAndFileNames()
    {
        var tree = _temp.Combine("tree");
        WriteTree(tree, ("train", "ankle boot", 6, 0), ("train", "cat", 5, 50), ("validation", "cat", 2, 100), ("test", "ankle boot", 3, 150));
        (await JsonOf("dataset", "import", tree, "--name", "shapes")).Dispose();
        var exported = _temp.Combine("exported");

        using var export = await JsonOf("dataset", "export", "shapes@1", "--out", exported);
        (await JsonOf("dataset", "import", exported, "--name", "shapes-copy")).Dispose();

        Assert.Equal(16, export.RootElement.GetProperty("files").GetInt32());
        Assert.True(File.Exists(Path.Combine(exported, "validation", "cat", "1.png")));
        Assert.Equal(File.ReadAllBytes(Path.Combine(tree, "test", "ankle boot", "2.png")), File.ReadAllBytes(Path.Combine(exported, "test", "ankle boot", "2.png")));
        Assert.Equal(await CountsOf("shapes@1"), await CountsOf("shapes-copy@1"));
        Assert.Empty(Directory.GetDirectories(_temp.Path, ".exported*"));
    }

    [Fact]
    public async Task Export_ClassNamesWithSlashes_RoundTripsThroughClassesJson()
    {
        var idx = _temp.Combine("idx");
        FashionMnist.WriteSubset(idx, 60, 20, gzip: true);
        (await JsonOf("dataset", "import", idx, "--name", "fashion", "--classes", string.Join(',', FashionMnist.ClassNames))).Dispose();
        var exported = _temp.Combine("exported");

        (await JsonOf("dataset", "export", "fashion@1", "--out", exported)).Dispose();
        // classes.json keeps the label order and the names that cannot be folder names.
        var classes = JsonDocument.Parse(File.ReadAllText(Path.Combine(exported, "classes.json"))).RootElement.EnumerateObject()
            .Select(p => (Folder: p.Name, Class: p.Value.GetString()!)).ToArray();
        // The importer reads classes.json back: no --classes needed for the same names in the same order.
        (await JsonOf("dataset", "import", exported, "--name", "fashion-copy")).Dispose();

        Assert.Equal(FashionMnist.ClassNames, classes.Select(c => c.Class));
        Assert.Equal("T-shirt_top", classes[0].Folder);
        Assert.True(File.Exists(Path.Combine(exported, "train", "T-shirt_top", "train_00001.png")));
        var original = await CountsOf("fashion@1");
        var copy = await CountsOf("fashion-copy@1");
        Assert.Equal(original, copy);
        using var copied = await JsonOf("dataset", "show", "fashion-copy@1");
        Assert.Equal(FashionMnist.ClassNames, copied.RootElement.GetProperty("version").GetProperty("classes").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public async Task Export_IntoAFolderThatIsNotEmpty_IsRefusedUnlessForced()
    {
        var tree = _temp.Combine("tree");
        WriteTree(tree, ("train", "cat", 2, 0));
        (await JsonOf("dataset", "import", tree, "--name", "pets")).Dispose();
        var target = _temp.Combine("target");
        Directory.CreateDirectory(target);
        File.WriteAllText(Path.Combine(target, "keep.txt"), "mine");

        var refused = await MaasProcess.RunAsync(Home, "dataset", "export", "pets@1", "--out", target);
        Assert.Equal(ExitCodes.Conflict, refused.ExitCode);
        Assert.Contains("pass --force", refused.Stderr, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(target, "keep.txt")));

        var forced = await MaasProcess.RunAsync(Home, "dataset", "export", "pets@1", "--out", target, "--force");
        Assert.Equal(0, forced.ExitCode);
        Assert.False(File.Exists(Path.Combine(target, "keep.txt")));
        Assert.Equal(2, Directory.GetFiles(Path.Combine(target, "train", "cat")).Length);
        Assert.Equal(["target", "tree"], Directory.GetFileSystemEntries(_temp.Path).Select(Path.GetFileName).Where(n => n != "home").Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Rm_VersionAModelWasTrainedOn_IsRefusedNamingTheModel_AndForceRemovesIt()
    {
        var tree = _temp.Combine("tree");
        WriteTree(tree, ("train", "cat", 3, 0));
        (await JsonOf("dataset", "import", tree, "--name", "pets")).Dispose();
        var staged = _temp.Combine("staged");
        Directory.CreateDirectory(staged);
        foreach (var file in new[] { ModelVersion.OnnxFileName, ModelVersion.PipelineFileName, ModelVersion.LabelsFileName })
        {
            File.WriteAllText(Path.Combine(staged, file), "{}");
        }

        await MaasStores.Open(new MaasHome(Home)).Models.RegisterAsync("pets-cnn", staged, null, "pets@1", ["cat"], new Dictionary<string, double>(), CancellationToken.None);

        var refused = await MaasProcess.RunAsync(Home, "dataset", "rm", "pets@1");
        Assert.Equal(ExitCodes.Conflict, refused.ExitCode);
        Assert.Contains("pets-cnn@1", refused.Stderr, StringComparison.Ordinal);
        Assert.Equal(0, (await MaasProcess.RunAsync(Home, "dataset", "show", "pets@1")).ExitCode);

        using var forced = await JsonOf("dataset", "rm", "pets@1", "--force");
        Assert.Equal(["pets-cnn@1"], forced.RootElement.GetProperty("referencing_models").EnumerateArray().Select(e => e.GetString()));
        Assert.True(forced.RootElement.GetProperty("dataset_removed").GetBoolean());
        Assert.Equal(ExitCodes.NotFound, (await MaasProcess.RunAsync(Home, "dataset", "show", "pets@1")).ExitCode);
    }

    [Fact]
    public async Task Rm_DeletesTheBlobsOnlyWhenNoRemainingVersionRefersToThem()
    {
        var one = _temp.Combine("one");
        WriteTree(one, ("train", "cat", 3, 0));
        var two = _temp.Combine("two");
        WriteTree(two, ("train", "cat", 3, 0));
        File.WriteAllBytes(Path.Combine(two, "train", "cat", "0.png"), TestImages.GradientRgbPng(4, 4, 99));
        (await JsonOf("dataset", "import", one, "--name", "pets")).Dispose();
        (await JsonOf("dataset", "import", two, "--name", "pets")).Dispose();
        var blobs = MaasStores.Open(new MaasHome(Home)).Blobs;
        string Hash(string tree, int i) => ContentHash.Of(File.ReadAllBytes(Path.Combine(tree, "train", "cat", $"{i}.png")));

        var first = await MaasProcess.RunAsync(Home, "dataset", "rm", "pets@1");
        Assert.Equal(0, first.ExitCode);
        Assert.Contains("1 image(s) deleted, 2 kept", first.Stdout, StringComparison.Ordinal);
        Assert.False(blobs.Contains(Hash(one, 0)));
        Assert.True(blobs.Contains(Hash(one, 1)) && blobs.Contains(Hash(one, 2)) && blobs.Contains(Hash(two, 0)));

        Assert.Equal(0, (await MaasProcess.RunAsync(Home, "dataset", "rm", "pets@2")).ExitCode);
        Assert.All(Enumerable.Range(0, 3), i => Assert.False(blobs.Contains(Hash(two, i))));
        using var list = await JsonOf("dataset", "list");
        Assert.Empty(list.RootElement.EnumerateArray());
    }

    [Fact]
    public async Task Show_PrintsImageSizesChannelsAndFormats()
    {
        var tree = _temp.Combine("tree");
        WriteTree(tree, ("train", "small", 3, 0), ("train", "wide", 2, 100));

        (await JsonOf("dataset", "import", tree, "--name", "pets")).Dispose();
        using var show = await JsonOf("dataset", "show", "pets@1");
        var human = await MaasProcess.RunAsync(Home, "dataset", "show", "pets@1");

        var images = show.RootElement.GetProperty("images");
        Assert.Equal((4, 4, 6), (images.GetProperty("width").GetProperty("min").GetInt32(), images.GetProperty("width").GetProperty("median").GetInt32(),
            images.GetProperty("width").GetProperty("max").GetInt32()));
        Assert.Equal(5, images.GetProperty("channels").GetProperty("3").GetInt32());
        Assert.Equal(5, images.GetProperty("formats").GetProperty("png").GetInt32());
        Assert.Contains("formats: png (5)", human.Stdout, StringComparison.Ordinal);
        Assert.Contains("median", human.Stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("diff")]
    [InlineData("export")]
    [InlineData("rm")]
    public async Task NewDatasetCommands_HaveHelp(string command)
    {
        var result = await MaasProcess.RunAsync(Home, "dataset", command, "--help");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("--json", result.Stdout, StringComparison.Ordinal);
    }

    public void Dispose() => _temp.Dispose();
}
