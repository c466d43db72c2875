using System.Text.Json;
using Maas.Testing;

namespace Maas.Cli.Tests;

/// <summary>Tables printed into a pipe or a file (as the tests' redirected standard output is).</summary>
public sealed class CliTableTests : IDisposable
{
    private readonly TempFolder _temp = new();

    [Fact]
    public async Task DatasetList_RedirectedWithALongSource_PrintsEachCellWhole()
    {
        // A source path far wider than the 80 columns Spectre.Console assumes without a terminal.
        var source = _temp.Combine("a-source-folder-whose-name-alone-is-wider-than-eighty-columns-of-a-terminal-" + new string('x', 60));
        for (var i = 0; i < 3; i++)
        {
            foreach (var cls in new[] { "cat", "dog" })
            {
                var folder = Path.Combine(source, cls);
                Directory.CreateDirectory(folder);
                File.WriteAllBytes(Path.Combine(folder, $"{i}.png"), TestImages.GradientRgbPng(4 + i, 4, (byte)((i * 7) + (cls == "cat" ? 0 : 100))));
            }
        }

        var home = _temp.Combine("home");
        var imported = await MaasProcess.RunAsync(home, "dataset", "import", source, "--name", "pets", "--json");
        Assert.True(imported.ExitCode == 0, imported.Stderr);
        using (var json = JsonDocument.Parse(imported.Stdout))
        {
            Assert.Equal(6, json.RootElement.GetProperty("sample_count").GetInt32());
        }

        var listed = await MaasProcess.RunAsync(home, "dataset", "list");

        Assert.Equal(0, listed.ExitCode);
        var lines = listed.Stdout.Split('\n');
        var row = Assert.Single(lines, l => l.Contains("pets@1", StringComparison.Ordinal));
        Assert.Contains(source, row, StringComparison.Ordinal);
        Assert.True(row.TrimEnd().Length > 80, $"the row was wrapped to {row.TrimEnd().Length} columns");
    }

    public void Dispose() => _temp.Dispose();
}
