using System.Text.Json;
using Maas.Testing;

namespace Maas.Cli.Tests;

public sealed class CliAnalyzeTests : IDisposable
{
    private readonly TempFolder _temp = new();

    [Fact]
    public async Task AnalyzeThenFix_WritesReportsReviewsAndCommitsTheReviewedVersion()
    {
        var home = _temp.Combine("home");
        FashionMnist.WriteSubset(_temp.Combine("idx"), 80, 20, gzip: true);
        Assert.Equal(0, (await MaasProcess.RunAsync(home, "dataset", "import", _temp.Combine("idx"), "--name", "fm", "--json")).ExitCode);

        var analyzed = await MaasProcess.RunAsync(home, "analyze", "fm@1", "--no-embeddings", "--out", _temp.Combine("out"), "--json");
        Assert.True(analyzed.ExitCode == 0, analyzed.Stderr);
        using (var json = JsonDocument.Parse(analyzed.Stdout))
        {
            Assert.False(json.RootElement.GetProperty("cached").GetBoolean());
            Assert.Equal(100, json.RootElement.GetProperty("samples").GetInt32());
            Assert.Equal(100, json.RootElement.GetProperty("issues").GetProperty("grayscale").GetInt32());
        }

        var html = await File.ReadAllTextAsync(_temp.Combine("out", "report.html"));
        Assert.DoesNotContain("http://", html, StringComparison.Ordinal);
        Assert.DoesNotContain("https://", html, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(home, "reports", "analysis", "fm@1", "report.json")));

        var again = await MaasProcess.RunAsync(home, "analyze", "fm@1", "--no-embeddings", "--json");
        using (var json = JsonDocument.Parse(again.Stdout))
        {
            Assert.True(json.RootElement.GetProperty("cached").GetBoolean());
        }

        var review = _temp.Combine("review.csv");
        var written = await MaasProcess.RunAsync(home, "dataset", "fix", "fm@1", "--from", _temp.Combine("out", "report.json"), "--out", review);
        Assert.True(written.ExitCode == 0, written.Stderr);
        var lines = await File.ReadAllLinesAsync(review);
        Assert.StartsWith("dataset,sample_id,path,split,label,issue,score,action,detail", lines[0], StringComparison.Ordinal);
        Assert.True(lines.Length > 1, "the low-information Fashion-MNIST images are flagged");

        // The reviewer removes the first flagged sample and relabels the second as a Bag (class 8: IDX classes are 0..9).
        var first = lines[1].Split(',')[1];
        var second = lines.Skip(2).Select(l => l.Split(',')[1]).First(id => id != first);
        var edited = lines.Select((line, i) => i == 0 ? line
            : line.Split(',')[1] == first ? Replace(line, "remove")
            : line.Split(',')[1] == second ? Replace(line, "relabel:8")
            : Replace(line, "keep"));
        await File.WriteAllLinesAsync(review, edited);

        var applied = await MaasProcess.RunAsync(home, "dataset", "fix", "--apply", review, "--json");
        Assert.True(applied.ExitCode == 0, applied.Stderr);
        using (var json = JsonDocument.Parse(applied.Stdout))
        {
            Assert.Equal("fm@2", json.RootElement.GetProperty("version").GetString());
            Assert.Equal(99, json.RootElement.GetProperty("sample_count").GetInt32());
        }

        var diff = await MaasProcess.RunAsync(home, "dataset", "diff", "fm@1", "fm@2", "--json");
        using (var json = JsonDocument.Parse(diff.Stdout))
        {
            Assert.Equal(first, Assert.Single(json.RootElement.GetProperty("removed").EnumerateArray()).GetProperty("sample_id").GetString());
            var relabelled = Assert.Single(json.RootElement.GetProperty("relabelled").EnumerateArray());
            Assert.Equal(second, relabelled.GetProperty("sample_id").GetString());
            Assert.Equal("8", relabelled.GetProperty("after").GetProperty("class_name").GetString());
        }

        var bad = await MaasProcess.RunAsync(home, "dataset", "fix", "--apply", _temp.Combine("missing.csv"));
        Assert.Equal(3, bad.ExitCode);
    }

    private static string Replace(string line, string action)
    {
        // Rows written by maas quote only the detail field, so the action is the eighth comma-separated field.
        var fields = line.Split(',');
        fields[7] = action;
        return string.Join(',', fields);
    }

    public void Dispose() => _temp.Dispose();
}
