using Maas.Core.Datasets;

namespace Maas.Core.Tests;

public sealed class ClassFolderLayoutTests
{
    private static DatasetVersion Version(params string[] classes) =>
        new("pets", 1, classes, "hash", 0, DateTimeOffset.UnixEpoch, "/src");

    private static Sample SampleOf(string id, string originalPath, int label = 0, Split split = Split.Train, string format = "png") =>
        new(id, new string('a', 64), label, split, originalPath, 28, 28, 1, format);

    [Theory]
    [InlineData("T-shirt/top", "T-shirt_top")]
    [InlineData("a\\b:c*d?e\"f<g>h|i", "a_b_c_d_e_f_g_h_i")]
    [InlineData("..", "_")]
    [InlineData(".hidden", "_.hidden")]
    [InlineData("", "_")]
    [InlineData("Ankle boot", "Ankle boot")]
    [InlineData("chat é", "chat é")]
    public void SafeName_TurnsClassNamesIntoFolderNames(string name, string expected) =>
        Assert.Equal(expected, ClassFolderLayout.SafeName(name));

    [Fact]
    public void SafeName_LongName_StaysWithinTheByteLimit()
    {
        var name = ClassFolderLayout.SafeName(string.Concat(Enumerable.Repeat("é", 300)));

        Assert.True(System.Text.Encoding.UTF8.GetByteCount(name) <= 200);
    }

    [Fact]
    public void Plan_ClassesThatSanitizeAlike_GetDistinctFolders()
    {
        var layout = ClassFolderLayout.Plan(Version("a/b", "a_b", "A_B"), []);

        Assert.Equal(["a_b", "a_b~2", "A_B~3"], layout.Folders.Select(f => f.Folder));
        Assert.Equal(["a/b", "a_b", "A_B"], layout.Folders.Select(f => f.ClassName));
    }

    [Fact]
    public void Plan_UniqueOriginalNames_AreKept()
    {
        var layout = ClassFolderLayout.Plan(Version("T-shirt/top", "dog"),
            [SampleOf("s1", "photos/t1.png"), SampleOf("s2", "dogs/rex.png", label: 1, split: Split.Test)]);

        Assert.Equal(["train/T-shirt_top/t1.png", "test/dog/rex.png"], layout.Files.Select(f => f.RelativePath));
    }

    [Fact]
    public void Plan_RepeatedOriginalNames_FallBackToSampleIds()
    {
        // Both came from different source folders but meet in one class folder.
        var layout = ClassFolderLayout.Plan(Version("cat"),
            [SampleOf("a/1.png", "a/1.png"), SampleOf("b/1.png", "b/1.png"), SampleOf("c", "c/2.png")]);

        Assert.Equal(["train/cat/a_1.png", "train/cat/b_1.png", "train/cat/2.png"], layout.Files.Select(f => f.RelativePath));
    }

    [Fact]
    public void Plan_SameNameInOtherFolders_KeepsTheOriginalInEach()
    {
        var layout = ClassFolderLayout.Plan(Version("cat", "dog"),
            [SampleOf("x", "x/1.png", 0), SampleOf("y", "y/1.png", 1), SampleOf("z", "z/1.png", 0, Split.Test)]);

        Assert.Equal(["train/cat/1.png", "train/dog/1.png", "test/cat/1.png"], layout.Files.Select(f => f.RelativePath));
    }

    [Fact]
    public void Plan_IdxSamples_AreNamedAfterTheirIdsWithTheFormatsExtension()
    {
        // IDX "file names" (train-images-idx3-ubyte.gz#7) are not image file names.
        var layout = ClassFolderLayout.Plan(Version("0"),
            [SampleOf("train/00007", "train-images-idx3-ubyte.gz#7"), SampleOf("test/00001", "t10k.gz#1", split: Split.Test, format: "jpeg")]);

        Assert.Equal(["train/0/train_00007.png", "test/0/test_00001.jpg"], layout.Files.Select(f => f.RelativePath));
    }

    [Fact]
    public void Plan_HiddenOrMismatchedOriginalNames_AreNotKept()
    {
        // The folder importer skips dot-files, and a JPEG named .png would mislead whoever opens the tree.
        var layout = ClassFolderLayout.Plan(Version("cat"),
            [SampleOf("s1", "x/.secret.png"), SampleOf("s2", "x/photo.png", format: "jpeg"), SampleOf("s3", "x/photo.JPEG", format: "jpeg")]);

        Assert.Equal(["train/cat/s1.png", "train/cat/s2.jpg", "train/cat/photo.JPEG"], layout.Files.Select(f => f.RelativePath));
    }

    [Fact]
    public void Plan_FallbackNameMeetingAnOriginalName_IsMadeUnique()
    {
        var layout = ClassFolderLayout.Plan(Version("cat"),
            [SampleOf("a", "a.png"), SampleOf("a.png", "p/dup.png"), SampleOf("q", "q/dup.png")]);

        Assert.Equal(["train/cat/a.png", "train/cat/a~2.png", "train/cat/q.png"], layout.Files.Select(f => f.RelativePath));
    }
}
