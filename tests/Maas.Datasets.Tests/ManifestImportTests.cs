using System.Text;
using Maas.Core.Datasets;
using Maas.Testing;
using Xunit.Abstractions;

namespace Maas.Datasets.Tests;

public sealed class ManifestImportTests : ImportTestBase
{
    private readonly ITestOutputHelper _output;

    public ManifestImportTests(ITestOutputHelper output)
    {
        _output = output;
    }

    [Fact]
    public async Task Import_CsvWithHeaderAndSplitColumn_KeepsLabelsAndSplits()
    {
        var root = Temp.Combine("data");
        var lines = new List<string> { "path,label,split" };
        for (var i = 0; i < 10; i++)
        {
            WriteImage(root, $"images/c{i}.png", (byte)i);
            WriteImage(root, $"images/d{i}.png", (byte)(100 + i));
            lines.Add($"images/c{i}.png,cat,{(i < 6 ? "train" : i < 8 ? "val" : "test")}");
            lines.Add($"images/d{i}.png,dog,{(i < 6 ? "train" : i < 8 ? "validation" : "test")}");
        }

        var manifest = WriteText(root, "labels.csv", string.Join('\n', lines) + "\n");

        var result = await Importer.ImportAsync(manifest, "pets", null, null, CancellationToken.None);

        Assert.Equal("csv", result.Format);
        Assert.Empty(result.Rejections);
        Assert.Equal(["cat", "dog"], result.Version.Classes);
        Assert.Equal((12, 4, 4), (result.Counts.Total(Split.Train), result.Counts.Total(Split.Validation), result.Counts.Total(Split.Test)));
        var samples = await Stores.Datasets.GetSamplesAsync("pets", 1, CancellationToken.None);
        var c7 = samples.Single(s => s.SampleId == "images/c7.png");
        Assert.Equal((0, Split.Validation, "images/c7.png"), (c7.Label, c7.Split, c7.OriginalPath));
    }

    [Fact]
    public async Task Import_CsvWithoutHeaderOrSplit_AssignsStratifiedSplits()
    {
        var root = Temp.Combine("data");
        var text = new StringBuilder();
        for (var i = 0; i < 20; i++)
        {
            WriteImage(root, $"a{i}.png", (byte)i);
            WriteImage(root, $"b{i}.png", (byte)(100 + i));
            text.Append($"a{i}.png,red\r\nb{i}.png,blue\r\n");
        }

        var manifest = WriteText(root, "m.csv", text.ToString());

        var result = await Importer.ImportAsync(manifest, "colors", null, null, CancellationToken.None);

        Assert.Empty(result.Rejections);
        Assert.Equal(40, result.Version.SampleCount);
        // 0.8/0.1/0.1 within each class of 20: the first row is data, not a header.
        Assert.Equal((32, 4, 4), (result.Counts.Total(Split.Train), result.Counts.Total(Split.Validation), result.Counts.Total(Split.Test)));
        // The import's split (worked out in its staging file) follows the same rule as the in-memory reference.
        var samples = await Stores.Datasets.GetSamplesAsync("colors", 1, CancellationToken.None);
        var expected = StratifiedSplit.Assign(samples.Select(s => (s.SampleId, s.Label)).ToArray(), ImportOptions.DefaultSplitFractions, new ImportOptions().Seed);
        Assert.Equal(expected, samples.Select(s => s.Split));
    }

    [Fact]
    public void SplitKey_IsTheSameInEveryProcess()
    {
        // Values computed independently (Python: SHA-256 over the little-endian seed and the UTF-8 id, first 8
        // bytes as a little-endian signed integer); a per-process hash would change them from run to run.
        Assert.Equal(1848855064616278239L, StratifiedSplit.Key(42, "a.png"));
        Assert.Equal(-8360829037660144926L, StratifiedSplit.Key(7, "shirt/0001.png"));
    }

    [Fact]
    public async Task Import_CsvWithBomAndQuotedPathHoldingACommaAndQuote_ReadsTheWholePath()
    {
        var root = Temp.Combine("data");
        WriteImage(root, "odd, \"name\".png", 1);
        WriteImage(root, "plain.png", 2);
        WriteImage(root, "über café.png", 3);
        var manifest = Path.Combine(root, "m.csv");
        File.WriteAllText(manifest, "Path,Label\n\"odd, \"\"name\"\".png\",\"big, red\"\n plain.png , small \nüber café.png,\"multi\nline\"\n",
            new UTF8Encoding(encoderShouldEmitUTF8Identifier: true));

        var result = await Importer.ImportAsync(manifest, "odd", null, null, CancellationToken.None);

        Assert.Empty(result.Rejections);
        var samples = await Stores.Datasets.GetSamplesAsync("odd", 1, CancellationToken.None);
        Assert.Equal(["big, red", "multi\nline", "small"], result.Version.Classes);
        Assert.Equal(["odd, \"name\".png", "plain.png", "über café.png"], samples.Select(s => s.SampleId).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Import_CsvWithBadRows_RefusesEachNamingItsLineAndKeepsTheOthers()
    {
        var root = Temp.Combine("data");
        WriteImage(Temp.Path, "outside.png", 200);
        for (var i = 0; i < 4; i++)
        {
            WriteImage(root, $"ok{i}.png", (byte)i);
        }

        var manifest = WriteText(root, "labels.csv", string.Join('\n',
            "path,label,split",        // 1
            "ok0.png,cat,train",       // 2
            "ok1.png",                 // 3 missing column
            "missing.png,cat",         // 4 no such file
            "/etc/hostname,cat",       // 5 absolute
            "../outside.png,cat",      // 6 escapes
            "ok2.png,,train",          // 7 empty label
            "ok3.png,dog,holdout",     // 8 unknown split
            "ok0.png,dog,test",        // 9 duplicate row
            "\"ok1.png,cat",           // 10 unterminated quote (runs to the end)
            ""));

        var result = await Importer.ImportAsync(manifest, "bad", null, null, CancellationToken.None);
        Report(result);

        Assert.Equal(1, result.Version.SampleCount);
        var reasons = result.Rejections.ToDictionary(r => r.Path, r => r.Reason);
        Assert.Equal("a missing column: 1 field, but the header names 3 (path 'ok1.png')", reasons["labels.csv:3"]);
        Assert.Equal("no such file (labels.csv:4)", reasons["missing.png"]);
        Assert.StartsWith("refused path '/etc/hostname': an absolute path", reasons["labels.csv:5"], StringComparison.Ordinal);
        Assert.StartsWith("refused path '../outside.png': a path that climbs out of its folder with '..'", reasons["labels.csv:6"], StringComparison.Ordinal);
        Assert.Equal("labels.csv:7: empty label", reasons["ok2.png"]);
        Assert.StartsWith("labels.csv:8: unknown split 'holdout'", reasons["ok3.png"], StringComparison.Ordinal);
        Assert.Equal("duplicate row: ok0.png is already listed on line 2", reasons["labels.csv:9"]);
        Assert.Equal("a quoted field that is never closed", reasons["labels.csv:10"]);
        Assert.Equal(8, result.Rejections.Count);
    }

    [Fact]
    public async Task Import_CsvWithOneImageUnderTwoLabels_ReportsLabelConflict()
    {
        var root = Temp.Combine("data");
        WriteImage(root, "a.png", 7);
        File.Copy(Path.Combine(root, "a.png"), Path.Combine(root, "copy-of-a.png"));
        WriteImage(root, "b.png", 8);
        var manifest = WriteText(root, "m.csv", "a.png,cat\ncopy-of-a.png,dog\nb.png,dog\n");

        var result = await Importer.ImportAsync(manifest, "conflict", null, null, CancellationToken.None);
        Report(result);

        Assert.Equal(2, result.Version.SampleCount);
        Assert.Equal(1, result.DuplicatesDropped);
        var conflict = Assert.Single(result.Rejections);
        Assert.Equal("copy-of-a.png", conflict.Path);
        Assert.StartsWith("label conflict: the same bytes as a.png, which is labelled 'cat', not 'dog'", conflict.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Import_JsonLines_KeepsLabelsAndSplitsAndRefusesBadLines()
    {
        var root = Temp.Combine("data");
        WriteImage(Temp.Path, "outside.png", 200);
        for (var i = 0; i < 6; i++)
        {
            WriteImage(root, $"img/{i}.png", (byte)i);
        }

        var manifest = WriteText(root, "data.jsonl", string.Join('\n',
            """{"path": "img/0.png", "label": "cat", "split": "train"}""",   // 1
            """{"path": "img/1.png", "label": "dog", "split": "test"}""",    // 2
            """{"path": "img/2.png", "label": 3}""",                         // 3 numeric label, no split
            """{"path": "img/3.png", "label": "cat", "split": "val"}""",     // 4
            "",                                                               // 5 blank
            """{"path": "img/4.png", "label": "cat" """,                     // 6 bad JSON
            """{"path": "img/5.png"}""",                                     // 7 no label
            """{"path": "../outside.png", "label": "cat"}""",                // 8 escapes
            """{"path": "/abs/x.png", "label": "cat"}""",                    // 9 absolute
            """["img/5.png", "cat"]""",                                      // 10 not an object
            """{"path": "img/none.png", "label": "cat"}""",                  // 11 no such file
            """{"path": "img/4.png", "label": "cat", "split": "dev"}""",     // 12 unknown split
            """{"path": "img/0.png", "label": "dog"}"""));                   // 13 duplicate

        var result = await Importer.ImportAsync(manifest, "jl", null, null, CancellationToken.None);
        Report(result);

        Assert.Equal("jsonl", result.Format);
        Assert.Equal(["3", "cat", "dog"], result.Version.Classes);
        var samples = (await Stores.Datasets.GetSamplesAsync("jl", 1, CancellationToken.None)).ToDictionary(s => s.SampleId);
        Assert.Equal(4, samples.Count);
        Assert.Equal(Split.Train, samples["img/0.png"].Split);
        Assert.Equal(Split.Test, samples["img/1.png"].Split);
        Assert.Equal(Split.Validation, samples["img/3.png"].Split);
        var reasons = result.Rejections.ToDictionary(r => r.Path, r => r.Reason);
        Assert.StartsWith("not valid JSON", reasons["data.jsonl:6"], StringComparison.Ordinal);
        Assert.Equal("no \"label\" field (path 'img/5.png')", reasons["data.jsonl:7"]);
        Assert.StartsWith("refused path '../outside.png'", reasons["data.jsonl:8"], StringComparison.Ordinal);
        Assert.StartsWith("refused path '/abs/x.png': an absolute path", reasons["data.jsonl:9"], StringComparison.Ordinal);
        Assert.Equal("expected a JSON object with \"path\" and \"label\", found an array", reasons["data.jsonl:10"]);
        Assert.Equal("no such file (data.jsonl:11)", reasons["img/none.png"]);
        Assert.Equal("duplicate row: img/0.png is already listed on line 1", reasons["data.jsonl:13"]);
        Assert.StartsWith("data.jsonl:12: unknown split 'dev'", reasons["img/4.png"], StringComparison.Ordinal);
        Assert.Equal(8, result.Rejections.Count);
    }

    [Fact]
    public async Task Import_FolderWithOneManifestAtTheTop_ReadsTheManifestNotClassFolders()
    {
        var root = Temp.Combine("data");
        WriteImage(root, "images/x.png", 1);
        WriteImage(root, "images/y.png", 2);
        WriteText(root, "labels.jsonl", "{\"path\":\"images/x.png\",\"label\":\"left\"}\n{\"path\":\"images/y.png\",\"label\":\"right\"}\n");

        var result = await Importer.ImportAsync(root, "lr", null, null, CancellationToken.None);

        Assert.Equal("jsonl", result.Format);
        Assert.Equal(["left", "right"], result.Version.Classes);
    }

    [Fact]
    public async Task Import_CsvWithExplicitFormatOnAFolder_FindsItsManifest()
    {
        var root = Temp.Combine("data");
        WriteImage(root, "a.png", 1);
        WriteImage(root, "b.png", 2);
        WriteText(root, "list.txt.csv", "a.png,one\nb.png,two\n");

        var result = await Importer.ImportAsync(root, "ab", new ImportOptions(Format: ImportFormat.Csv), null, CancellationToken.None);

        Assert.Equal(2, result.Version.SampleCount);
    }

    [Fact]
    public async Task Import_CsvRowWithInvalidUtf8_RefusesThatRowOnly()
    {
        var root = Temp.Combine("data");
        WriteImage(root, "a.png", 1);
        WriteImage(root, "b.png", 2);
        var manifest = Path.Combine(root, "m.csv");
        File.WriteAllBytes(manifest, [.. "a.png,one\n"u8, .. "caf"u8, 0xE9, .. ".png,two\n"u8, .. "b.png,two\n"u8]);

        var result = await Importer.ImportAsync(manifest, "enc", null, null, CancellationToken.None);
        Report(result);

        Assert.Equal(2, result.Version.SampleCount);
        var rejection = Assert.Single(result.Rejections);
        Assert.Equal(("m.csv:2", "the row is not valid UTF-8 text"), (rejection.Path, rejection.Reason));
    }

    [Fact]
    public async Task Import_CsvRowThroughASymlinkLeadingOut_RefusesIt()
    {
        var root = Temp.Combine("data");
        WriteImage(root, "a.png", 1);
        WriteImage(Temp.Path, "secret/s.png", 2);
        Directory.CreateSymbolicLink(Path.Combine(root, "linked"), Temp.Combine("secret"));
        File.CreateSymbolicLink(Path.Combine(root, "direct.png"), Temp.Combine("secret", "s.png"));
        var manifest = WriteText(root, "m.csv", "a.png,one\nlinked/s.png,two\ndirect.png,two\n");

        var result = await Importer.ImportAsync(manifest, "links", null, null, CancellationToken.None);
        Report(result);

        Assert.Equal(1, result.Version.SampleCount);
        Assert.Equal(["direct.png", "linked/s.png"], result.Rejections.Select(r => r.Path));
        Assert.All(result.Rejections, r => Assert.StartsWith("a symbolic link that leads outside the manifest's folder", r.Reason, StringComparison.Ordinal));
    }

    private void Report(ImportResult result)
    {
        foreach (var r in result.Rejections)
        {
            _output.WriteLine($"{r.Path}: {r.Reason}");
        }
    }

    private static void WriteImage(string root, string relative, byte seed)
    {
        var path = Path.Combine(root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, TestImages.GradientRgbPng(8, 8, seed));
    }

    private static string WriteText(string root, string name, string text)
    {
        Directory.CreateDirectory(root);
        var path = Path.Combine(root, name);
        File.WriteAllText(path, text);
        return path;
    }
}
