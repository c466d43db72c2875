using Maas.Core.Datasets;
using Maas.Core.Errors;

namespace Maas.Core.Tests;

public sealed class DatasetDiffTests
{
    private static DatasetVersion Version(int number, params string[] classes) =>
        new("pets", number, classes, "hash", 0, DateTimeOffset.UnixEpoch, "/src");

    private static Sample SampleOf(string id, int label, Split split = Split.Train, char blob = 'a') =>
        new(id, new string(blob, 64), label, split, id + ".png", 28, 28, 1, "png");

    [Fact]
    public void Diff_SameManifest_IsEmptyAndCountsUnchanged()
    {
        Sample[] samples = [SampleOf("a", 0), SampleOf("b", 1)];

        var diff = DatasetDiff.Compute(Version(1, "cat", "dog"), samples, Version(2, "cat", "dog"), samples);

        Assert.True(diff.IsEmpty);
        Assert.Equal(2, diff.Unchanged);
        Assert.Equal(("pets@1", "pets@2"), (diff.From, diff.To));
    }

    [Fact]
    public void Diff_AddedAndRemoved_ListsThemBySampleId()
    {
        var diff = DatasetDiff.Compute(Version(1, "cat"), [SampleOf("b", 0), SampleOf("gone", 0)],
            Version(2, "cat"), [SampleOf("new2", 0), SampleOf("b", 0), SampleOf("new1", 0)]);

        Assert.Equal(["new1", "new2"], diff.Added.Select(d => d.SampleId));
        Assert.All(diff.Added, d => Assert.Null(d.Before));
        Assert.Equal("cat", diff.Added[0].After!.ClassName);
        var removed = Assert.Single(diff.Removed);
        Assert.Equal(("gone", "cat"), (removed.SampleId, removed.Before!.ClassName));
        Assert.Null(removed.After);
        Assert.Equal(1, diff.Unchanged);
    }

    [Fact]
    public void Diff_Relabelled_ListsOldAndNewClass()
    {
        var diff = DatasetDiff.Compute(Version(1, "cat", "dog"), [SampleOf("a", 0), SampleOf("b", 1)],
            Version(2, "cat", "dog"), [SampleOf("a", 1), SampleOf("b", 1)]);

        var relabelled = Assert.Single(diff.Relabelled);
        Assert.Equal(("a", "cat", "dog"), (relabelled.SampleId, relabelled.Before!.ClassName, relabelled.After!.ClassName));
        Assert.Empty(diff.Changed);
        Assert.Equal(1, diff.Unchanged);
    }

    [Fact]
    public void Diff_ClassListReordered_ComparesByNameNotIndex()
    {
        // Label 0 means "cat" in one version and "dog" in the other: same classes, so nothing was relabelled.
        var diff = DatasetDiff.Compute(Version(1, "cat", "dog"), [SampleOf("a", 0), SampleOf("b", 1)],
            Version(2, "dog", "cat"), [SampleOf("a", 1), SampleOf("b", 0)]);

        Assert.True(diff.IsEmpty);
    }

    [Fact]
    public void Diff_ClassRenamed_ReportsTheSamplesAsRelabelled()
    {
        var diff = DatasetDiff.Compute(Version(1, "T-shirt"), [SampleOf("a", 0)], Version(2, "T-shirt/top"), [SampleOf("a", 0)]);

        var relabelled = Assert.Single(diff.Relabelled);
        Assert.Equal(("T-shirt", "T-shirt/top"), (relabelled.Before!.ClassName, relabelled.After!.ClassName));
    }

    [Fact]
    public void Diff_ChangedBytes_ListsOldAndNewBlobHash()
    {
        var diff = DatasetDiff.Compute(Version(1, "cat"), [SampleOf("a", 0, blob: 'a')], Version(2, "cat"), [SampleOf("a", 0, blob: 'b')]);

        var changed = Assert.Single(diff.Changed);
        Assert.Equal((new string('a', 64), new string('b', 64)), (changed.Before!.BlobHash, changed.After!.BlobHash));
        Assert.Empty(diff.Relabelled);
        Assert.Equal(0, diff.Unchanged);
    }

    [Fact]
    public void Diff_RelabelledAndChanged_AppearsInBothLists()
    {
        var diff = DatasetDiff.Compute(Version(1, "cat", "dog"), [SampleOf("a", 0, blob: 'a')], Version(2, "cat", "dog"), [SampleOf("a", 1, blob: 'b')]);

        Assert.Equal("a", Assert.Single(diff.Relabelled).SampleId);
        Assert.Equal("a", Assert.Single(diff.Changed).SampleId);
    }

    [Fact]
    public void Diff_SplitChanged_ListsTheSampleAsMoved()
    {
        var diff = DatasetDiff.Compute(Version(1, "cat"), [SampleOf("a", 0, Split.Train)], Version(2, "cat"), [SampleOf("a", 0, Split.Test)]);

        var moved = Assert.Single(diff.Moved);
        Assert.Equal((Split.Train, Split.Test), (moved.Before!.Split, moved.After!.Split));
        Assert.False(diff.IsEmpty);
    }

    [Fact]
    public void Diff_RepeatedSampleId_ThrowsInvalidInput()
    {
        var error = Assert.Throws<InvalidInputException>(() =>
            DatasetDiff.Compute(Version(1, "cat"), [SampleOf("a", 0), SampleOf("a", 0)], Version(2, "cat"), []));

        Assert.Contains("sample id a appears more than once", error.Message, StringComparison.Ordinal);
    }
}
