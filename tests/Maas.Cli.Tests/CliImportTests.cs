using System.Text.Json;
using Maas.Testing;

namespace Maas.Cli.Tests;

public sealed class CliImportTests : IDisposable
{
    private readonly TempFolder _temp = new();

    [Fact]
    public async Task ImportWithJson_PrintsTheVersionCountsAndRejections()
    {
        var root = _temp.Combine("tree");
        foreach (var (cls, seed) in new[] { ("circle", 0), ("square", 50) })
        {
            Directory.CreateDirectory(Path.Combine(root, cls));
            for (var i = 0; i < 10; i++)
            {
                File.WriteAllBytes(Path.Combine(root, cls, $"{i}.png"), TestImages.GradientRgbPng(5, 5, (byte)(seed + i)));
            }
        }

        File.WriteAllText(Path.Combine(root, "square", "broken.jpg"), "nope");

        var result = await MaasProcess.RunAsync(_temp.Combine("home"), "dataset", "import", root, "--name", "shapes", "--json");

        Assert.Equal(0, result.ExitCode);
        using var json = JsonDocument.Parse(result.Stdout);
        Assert.Equal("shapes@1", json.RootElement.GetProperty("version").GetString());
        Assert.Equal(20, json.RootElement.GetProperty("sample_count").GetInt32());
        Assert.Equal(8, json.RootElement.GetProperty("counts").GetProperty("train").GetProperty("circle").GetInt32());
        var rejection = Assert.Single(json.RootElement.GetProperty("rejections").EnumerateArray());
        Assert.Equal(Path.Combine("square", "broken.jpg"), rejection.GetProperty("path").GetString());

        var shown = await MaasProcess.RunAsync(_temp.Combine("home"), "dataset", "show", "shapes@1", "--json");
        Assert.Equal(0, shown.ExitCode);
        using var show = JsonDocument.Parse(shown.Stdout);
        Assert.Equal(1, show.RootElement.GetProperty("counts").GetProperty("test").GetProperty("square").GetInt32());
    }

    public void Dispose() => _temp.Dispose();
}
