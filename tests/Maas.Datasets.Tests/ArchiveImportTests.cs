using System.Formats.Tar;
using System.IO.Compression;
using System.Text;
using Maas.Core.Datasets;
using Maas.Core.Errors;
using Maas.Imaging;
using Maas.Testing;
using Xunit.Abstractions;

namespace Maas.Datasets.Tests;

public sealed class ArchiveImportTests : ImportTestBase
{
    private readonly ITestOutputHelper _output;

    public ArchiveImportTests(ITestOutputHelper output)
    {
        _output = output;
    }

    [Theory]
    [InlineData(ArchiveKind.Zip)]
    [InlineData(ArchiveKind.Tar)]
    [InlineData(ArchiveKind.TarGz)]
    public async Task Import_ArchiveOfClassFoldersUnderATopFolder_ImportsLikeTheTree(ArchiveKind kind)
    {
        var entries = new List<(string, byte[])>();
        for (var i = 0; i < 10; i++)
        {
            entries.Add(($"pets/red/r{i}.png", Png(i)));
            entries.Add(($"pets/blue/nested/b{i}.png", Png(100 + i)));
        }

        entries.Add(("pets/readme.txt", "not an image"u8.ToArray()));
        var archive = TestArchives.Write(Temp.Combine("pets" + TestArchives.Extension(kind)), kind, entries);

        var result = await Importer.ImportAsync(archive, "pets", null, null, CancellationToken.None);
        Report(result);

        Assert.Equal(kind == ArchiveKind.Zip ? "zip" : "tar", result.Format);
        Assert.Equal(["blue", "red"], result.Version.Classes);
        Assert.Equal((16, 2, 2), (result.Counts.Total(Split.Train), result.Counts.Total(Split.Validation), result.Counts.Total(Split.Test)));
        var stray = Assert.Single(result.Rejections);
        Assert.Equal(("pets/readme.txt", "not inside a class folder"), (stray.Path, stray.Reason));
        var samples = (await Stores.Datasets.GetSamplesAsync("pets", 1, CancellationToken.None)).ToDictionary(s => s.SampleId);
        Assert.Equal("pets/blue/nested/b3.png", samples["blue/nested/b3.png"].OriginalPath);
        Assert.Equal((8, 8, "png"), (samples["red/r0.png"].Width, samples["red/r0.png"].Height, samples["red/r0.png"].Format));
    }

    [Theory]
    [InlineData(ArchiveKind.Zip)]
    [InlineData(ArchiveKind.TarGz)]
    public async Task Import_ArchiveWithSplitFolders_KeepsTheSplits(ArchiveKind kind)
    {
        var archive = TestArchives.Write(Temp.Combine("s" + TestArchives.Extension(kind)), kind,
            [("train/a/1.png", Png(1)), ("val/a/2.png", Png(2)), ("test/b/3.png", Png(3)), ("train/stray.png", Png(4))]);

        var result = await Importer.ImportAsync(archive, "tiny", null, null, CancellationToken.None);

        Assert.Equal((1, 1, 1), (result.Counts.Total(Split.Train), result.Counts.Total(Split.Validation), result.Counts.Total(Split.Test)));
        Assert.Equal(["a", "b"], result.Version.Classes);
        Assert.Equal("train/stray.png", Assert.Single(result.Rejections).Path);
    }

    [Theory]
    [InlineData(ArchiveKind.Zip)]
    [InlineData(ArchiveKind.Tar)]
    [InlineData(ArchiveKind.TarGz)]
    public async Task Import_ArchiveOfManifestAndImages_ReadsTheManifest(ArchiveKind kind)
    {
        var entries = new List<(string, byte[])>();
        var csv = new StringBuilder("path,label,split\n");
        for (var i = 0; i < 6; i++)
        {
            entries.Add(($"data/images/{i}.png", Png(i)));
            csv.Append($"images/{i}.png,{(i % 2 == 0 ? "even" : "odd")},{(i < 4 ? "train" : "test")}\n");
        }

        csv.Append("images/absent.png,odd,train\n../data/images/0.png,odd,train\nimages/1.png,even,train\n");
        // The manifest comes last, as it often does: a tar is still read in two passes only.
        entries.Add(("data/labels.csv", Encoding.UTF8.GetBytes(csv.ToString())));
        entries.Add(("data/unlisted.png", Png(50)));
        var archive = TestArchives.Write(Temp.Combine("m" + TestArchives.Extension(kind)), kind, entries);

        var result = await Importer.ImportAsync(archive, "parity", null, null, CancellationToken.None);
        Report(result);

        Assert.Equal(["even", "odd"], result.Version.Classes);
        Assert.Equal((4, 0, 2), (result.Counts.Total(Split.Train), result.Counts.Total(Split.Validation), result.Counts.Total(Split.Test)));
        var samples = (await Stores.Datasets.GetSamplesAsync("parity", 1, CancellationToken.None)).ToDictionary(s => s.SampleId);
        Assert.Equal(("data/images/3.png", 1), (samples["images/3.png"].OriginalPath, samples["images/3.png"].Label));
        var reasons = result.Rejections.ToDictionary(r => r.Path, r => r.Reason);
        Assert.Equal("no such file in the archive (data/labels.csv:8)", reasons["images/absent.png"]);
        Assert.StartsWith("refused path '../data/images/0.png': a path that climbs out", reasons["data/labels.csv:9"], StringComparison.Ordinal);
        Assert.Equal("duplicate row: images/1.png is already listed on line 3", reasons["data/labels.csv:10"]);
        Assert.Equal(3, result.Rejections.Count);
    }

    [Theory]
    [InlineData(ArchiveKind.Zip, true)]
    [InlineData(ArchiveKind.Tar, false)]
    [InlineData(ArchiveKind.TarGz, false)]
    [InlineData(ArchiveKind.TarGz, true)]
    public async Task Import_ArchiveOfFashionMnistIdx_StreamsImagesWithLabelsAndSplits(ArchiveKind kind, bool gzipInside)
    {
        var folder = Temp.Combine("idx");
        FashionMnist.WriteSubset(folder, 300, 100, gzipInside);
        // Images before labels, as a tar may well hold them: labels are read in the listing pass.
        var files = Directory.GetFiles(folder).OrderBy(f => f.Contains("labels", StringComparison.Ordinal)).ToArray();
        var archive = TestArchives.Write(Temp.Combine("fashion" + TestArchives.Extension(kind)), kind,
            files.Select(f => ("fashion-mnist/" + Path.GetFileName(f), File.ReadAllBytes(f))));

        var result = await Importer.ImportAsync(archive, "fashion", new ImportOptions(FashionMnist.ClassNames), null, CancellationToken.None);

        Assert.Empty(result.Rejections);
        Assert.Equal(FashionMnist.ClassNames, result.Version.Classes);
        Assert.Equal(300 - result.DuplicatesDropped, result.Counts.Total(Split.Train));
        Assert.Equal(100, result.Counts.Total(Split.Test));
        var samples = await Stores.Datasets.GetSamplesAsync("fashion", 1, CancellationToken.None);
        var first = samples.Single(s => s.SampleId == "test/00000");
        var (pixels, label) = FashionMnist.TestImage(0);
        Assert.Equal(label, first.Label);
        Assert.StartsWith("fashion-mnist/t10k-images-idx3-ubyte", first.OriginalPath, StringComparison.Ordinal);
        var decoded = ImageDecoder.Decode(await Stores.Blobs.GetAsync(first.BlobHash, CancellationToken.None), Core.Pipelines.ColorMode.Gray, null, "blob");
        Assert.Equal(pixels, decoded.Pixels);
    }

    [Theory]
    [InlineData(ArchiveKind.Zip)]
    [InlineData(ArchiveKind.Tar)]
    public async Task Import_ArchiveWithParentPathAndAbsoluteEntries_RefusesThemAndKeepsOthers(ArchiveKind kind)
    {
        var archive = TestArchives.Write(Temp.Combine("evil" + TestArchives.Extension(kind)), kind,
        [
            ("cat/1.png", Png(1)),
            ("dog/2.png", Png(2)),
            ("../evil.png", Png(3)),
            ("/abs/evil.png", Png(4)),
            ("cat/../../up.png", Png(5)),
            ("..\\back.png", Png(6)),
            ("C:/drive.png", Png(7)),
            ("cat/./fine.png", Png(8)),
        ]);

        var result = await Importer.ImportAsync(archive, "evil", null, null, CancellationToken.None);
        Report(result);

        var samples = await Stores.Datasets.GetSamplesAsync("evil", 1, CancellationToken.None);
        Assert.Equal(["cat/1.png", "cat/fine.png", "dog/2.png"], samples.Select(s => s.SampleId).Order(StringComparer.Ordinal));
        var reasons = result.Rejections.ToDictionary(r => r.Path, r => r.Reason);
        const string Outside = "): it would land outside the target folder";
        Assert.Equal("unsafe entry name (a path that climbs out of its folder with '..'" + Outside, reasons["../evil.png"]);
        Assert.Equal("unsafe entry name (a path that climbs out of its folder with '..'" + Outside, reasons["cat/../../up.png"]);
        Assert.Equal("unsafe entry name (a path that climbs out of its folder with '..'" + Outside, reasons["..\\back.png"]);
        Assert.Equal("unsafe entry name (a path with a drive letter" + Outside, reasons["C:/drive.png"]);
        // A tar writer strips nothing, a zip writer nothing either: the leading slash reaches the reader.
        Assert.Equal("unsafe entry name (an absolute path" + Outside, reasons["/abs/evil.png"]);
        Assert.Equal(5, result.Rejections.Count);
    }

    [Fact]
    public async Task Import_TarWithSymbolicAndHardLinkEntries_RefusesThemNeverFollowing()
    {
        var archive = Temp.Combine("links.tar");
        using (var tar = new TarWriter(File.Create(archive), TarEntryFormat.Pax))
        {
            tar.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, "cat/1.png") { DataStream = new MemoryStream(Png(1)) });
            tar.WriteEntry(new PaxTarEntry(TarEntryType.SymbolicLink, "cat/passwd.png") { LinkName = "/etc/passwd" });
            tar.WriteEntry(new PaxTarEntry(TarEntryType.HardLink, "dog/again.png") { LinkName = "cat/1.png" });
            tar.WriteEntry(new PaxTarEntry(TarEntryType.Fifo, "dog/pipe.png"));
            tar.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, "dog/2.png") { DataStream = new MemoryStream(Png(2)) });
        }

        var result = await Importer.ImportAsync(archive, "links", null, null, CancellationToken.None);
        Report(result);

        Assert.Equal(2, result.Version.SampleCount);
        var reasons = result.Rejections.ToDictionary(r => r.Path, r => r.Reason);
        Assert.Equal("a symbolic link entry to '/etc/passwd': links in archives are refused, never followed", reasons["cat/passwd.png"]);
        Assert.Equal("a hard link entry to 'cat/1.png': links in archives are refused, never followed", reasons["dog/again.png"]);
        Assert.Equal("not a regular file (a Fifo entry)", reasons["dog/pipe.png"]);
    }

    [Fact]
    public async Task Import_ZipWithUnixSymlinkEntry_RefusesIt()
    {
        var archive = Temp.Combine("links.zip");
        using (var zip = ZipFile.Open(archive, ZipArchiveMode.Create))
        {
            Add(zip, "cat/1.png", Png(1), 0x81A4);
            Add(zip, "dog/2.png", Png(2), 0x81A4);
            Add(zip, "dog/link.png", "/etc/passwd"u8.ToArray(), 0xA1FF);
        }

        var result = await Importer.ImportAsync(archive, "ziplinks", null, null, CancellationToken.None);

        Assert.Equal(2, result.Version.SampleCount);
        var refused = Assert.Single(result.Rejections);
        Assert.Equal(("dog/link.png", "a symbolic link entry: links in archives are refused, never followed"), (refused.Path, refused.Reason));

        static void Add(ZipArchive zip, string name, byte[] bytes, int mode)
        {
            var entry = zip.CreateEntry(name);
            entry.ExternalAttributes = mode << 16;
            using var stream = entry.Open();
            stream.Write(bytes);
        }
    }

    [Theory]
    [InlineData(ArchiveKind.Zip)]
    [InlineData(ArchiveKind.Tar)]
    [InlineData(ArchiveKind.TarGz)]
    public async Task Import_ArchiveWithLongAndNonAsciiNames_KeepsTheNames(ArchiveKind kind)
    {
        var longName = new string('n', 196) + ".png";
        var longFolder = new string('f', 120);
        var archive = TestArchives.Write(Temp.Combine("names" + TestArchives.Extension(kind)), kind,
        [
            ($"cat/{longName}", Png(1)),
            ($"{longFolder}/{longName}", Png(2)),
            ("über/café.png", Png(3)),
            ("狗/一.png", Png(4)),
        ]);

        var result = await Importer.ImportAsync(archive, "names", null, null, CancellationToken.None);

        Assert.Empty(result.Rejections);
        Assert.Equal(["cat", longFolder, "über", "狗"], result.Version.Classes);
        var ids = (await Stores.Datasets.GetSamplesAsync("names", 1, CancellationToken.None)).Select(s => s.SampleId).ToHashSet();
        Assert.Contains($"cat/{longName}", ids);
        Assert.Contains($"{longFolder}/{longName}", ids);
        Assert.Contains("über/café.png", ids);
    }

    [Theory]
    [InlineData(ArchiveKind.Tar)]
    [InlineData(ArchiveKind.Zip)]
    public async Task Import_ArchiveWithLatin1Names_KeepsTheFirstAndRefusesOneThatReadsTheSame(ArchiveKind kind)
    {
        var archive = Temp.Combine("latin1" + TestArchives.Extension(kind));
        if (kind == ArchiveKind.Tar)
        {
            // System.Formats.Tar writes names as UTF-8 only, so these headers are written by hand.
            File.WriteAllBytes(archive,
            [
                .. TestArchives.RawTarFile([.. "cat/caf"u8, 0xE9, .. ".png"u8], Png(1)),
                .. TestArchives.RawTarFile([.. "cat/caf"u8, 0xE8, .. ".png"u8], Png(2)),
                .. TestArchives.RawTarFile([.. "dog/plain.png"u8], Png(3)),
                .. TestArchives.TarEnd,
            ]);
        }
        else
        {
            TestArchives.Write(archive, kind, [("cat/cafX.png", Png(1)), ("cat/cafY.png", Png(2)), ("dog/plain.png", Png(3))]);
            TestArchives.SetRawZipName(archive, "cat/cafX.png", [.. "cat/caf"u8, 0xE9, .. ".png"u8]);
            TestArchives.SetRawZipName(archive, "cat/cafY.png", [.. "cat/caf"u8, 0xE8, .. ".png"u8]);
        }

        var result = await Importer.ImportAsync(archive, "latin1", null, null, CancellationToken.None);
        Report(result);

        var samples = await Stores.Datasets.GetSamplesAsync("latin1", 1, CancellationToken.None);
        Assert.Equal(["cat/caf\uFFFD.png", "dog/plain.png"], samples.Select(s => s.SampleId).Order(StringComparer.Ordinal));
        var refused = Assert.Single(result.Rejections);
        Assert.Equal("a second entry named 'cat/caf\uFFFD.png' (its name is not valid UTF-8 and reads the same once decoded): the first one is kept",
            refused.Reason);
    }

    [Fact]
    public async Task Import_ZipEntryInflatingPastItsDeclaredSize_IsRefusedAndOthersKept()
    {
        var limits = new DecodeLimits(MaxBytes: 64 << 10);
        var archive = TestArchives.Write(Temp.Combine("bomb.zip"), ArchiveKind.Zip,
            [("cat/1.png", Png(1)), ("cat/bomb.png", [.. Png(9), .. new byte[4 << 20]]), ("dog/2.png", Png(2))]);
        TestArchives.FalsifyZipSize(archive, "cat/bomb.png", 1000);

        var result = await Importer.ImportAsync(archive, "bomb", new ImportOptions(Limits: limits), null, CancellationToken.None);
        Report(result);

        Assert.Equal(2, result.Version.SampleCount);
        var refused = Assert.Single(result.Rejections);
        Assert.Equal(("cat/bomb.png", "its data does not match the CRC-32 in the archive (damaged, or its declared size of 1000 bytes is false)"),
            (refused.Path, refused.Reason));
    }

    [Theory]
    [InlineData(ArchiveKind.Zip)]
    [InlineData(ArchiveKind.Tar)]
    [InlineData(ArchiveKind.TarGz)]
    public async Task Import_ArchiveEntryOverTheSizeLimit_IsRefusedUnreadAndTheRestRead(ArchiveKind kind)
    {
        var limits = new DecodeLimits(MaxBytes: 64 << 10);
        var archive = TestArchives.Write(Temp.Combine("big" + TestArchives.Extension(kind)), kind,
            [("cat/1.png", Png(1)), ("cat/big.png", [.. Png(9), .. new byte[100_000]]), ("dog/2.png", Png(2))]);

        var result = await Importer.ImportAsync(archive, "big", new ImportOptions(Limits: limits), null, CancellationToken.None);
        Report(result);

        Assert.Equal(2, result.Version.SampleCount);
        var refused = Assert.Single(result.Rejections);
        Assert.Equal("cat/big.png", refused.Path);
        Assert.Matches("^[0-9]+ bytes is over the limit of 65536 bytes", refused.Reason);
    }

    [Fact]
    public async Task Import_TarGzWithAnOddName_IsDetectedByItsBytes()
    {
        var archive = TestArchives.Write(Temp.Combine("upload.bin"), ArchiveKind.TarGz, [("a/1.png", Png(1)), ("b/2.png", Png(2))]);

        var result = await Importer.ImportAsync(archive, "sniffed", null, null, CancellationToken.None);

        Assert.Equal(("tar", 2), (result.Format, result.Version.SampleCount));
    }

    [Fact]
    public async Task Import_ZipGivenAsTar_SaysWhatItIs()
    {
        var archive = TestArchives.Write(Temp.Combine("a.zip"), ArchiveKind.Zip, [("a/1.png", Png(1))]);

        var error = await Assert.ThrowsAsync<InvalidInputException>(() =>
            Importer.ImportAsync(archive, "x", new ImportOptions(Format: ImportFormat.Tar), null, CancellationToken.None));

        Assert.EndsWith("--format tar was given, but the file is a zip archive.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Import_CorruptZip_FailsNamingTheFile()
    {
        var archive = Temp.Combine("broken.zip");
        File.WriteAllBytes(archive, [.. "PK\x03\x04"u8, .. new byte[100]]);

        var error = await Assert.ThrowsAsync<InvalidInputException>(() => Importer.ImportAsync(archive, "x", null, null, CancellationToken.None));

        Assert.StartsWith($"{archive}: not a readable zip archive", error.Message, StringComparison.Ordinal);
    }

    private static byte[] Png(int seed) => TestImages.GradientRgbPng(8, 8, (byte)seed);

    private void Report(ImportResult result)
    {
        foreach (var r in result.Rejections)
        {
            _output.WriteLine($"{r.Path}: {r.Reason}");
        }
    }
}
