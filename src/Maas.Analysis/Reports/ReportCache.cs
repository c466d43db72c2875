using System.Text.Json;
using Maas.Core;

namespace Maas.Analysis.Reports;

/// <summary>
/// Analysis reports cached per dataset version under the home: <c>reports/analysis/NAME@V/report.json</c> and
/// <c>report.html</c>. A report is written into a temporary sibling folder and renamed into place, so an interrupted
/// analysis leaves either the previous report or none, never half of one.
/// </summary>
/// <param name="home">The home folder.</param>
public sealed class ReportCache(MaasHome home)
{
    /// <summary>The JSON report's file name.</summary>
    public const string JsonFileName = "report.json";

    /// <summary>The HTML report's file name.</summary>
    public const string HtmlFileName = "report.html";

    /// <summary>The folder of <paramref name="dataset"/>'s report (e.g. <c>fashion@1</c>).</summary>
    public string FolderOf(string dataset)
    {
        ArgumentNullException.ThrowIfNull(home);
        return Path.Combine(home.Root, "reports", "analysis", dataset);
    }

    /// <summary>The cached report of <paramref name="dataset"/> when there is one made with <paramref name="options"/>.</summary>
    public AnalysisReport? TryLoad(string dataset, AnalysisOptions options)
    {
        var path = Path.Combine(FolderOf(dataset), JsonFileName);
        if (!File.Exists(path))
        {
            return null;
        }

        var report = ReportJson.Deserialize(File.ReadAllText(path), path);
        return SameOptions(report.Options, options) ? report : null;
    }

    /// <summary>Writes both files of <paramref name="result"/> atomically; returns the report folder.</summary>
    public async Task<string> SaveAsync(AnalysisResult result, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(result);
        var folder = FolderOf(result.Report.Dataset);
        var parent = Path.GetDirectoryName(folder)!;
        Directory.CreateDirectory(parent);
        var staging = Path.Combine(parent, $".{result.Report.Dataset}.{Guid.NewGuid():N}.tmp");
        var old = staging + ".old";
        Directory.CreateDirectory(staging);
        try
        {
            await File.WriteAllTextAsync(Path.Combine(staging, JsonFileName), ReportJson.Serialize(result.Report), cancellationToken);
            await File.WriteAllTextAsync(Path.Combine(staging, HtmlFileName), HtmlReport.Render(result), cancellationToken);
            cancellationToken.ThrowIfCancellationRequested();
            if (Directory.Exists(folder))
            {
                Directory.Move(folder, old);
            }

            Directory.Move(staging, folder);
        }
        finally
        {
            if (Directory.Exists(staging))
            {
                Directory.Delete(staging, recursive: true);
            }

            if (Directory.Exists(old))
            {
                Directory.Delete(old, recursive: true);
            }
        }

        return folder;
    }

    /// <summary>Copies the cached files of <paramref name="dataset"/> into <paramref name="target"/>, each atomically.</summary>
    public async Task CopyToAsync(string dataset, string target, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(target);
        foreach (var name in new[] { JsonFileName, HtmlFileName })
        {
            var bytes = await File.ReadAllBytesAsync(Path.Combine(FolderOf(dataset), name), cancellationToken);
            await AtomicFile.WriteAllBytesAsync(Path.Combine(target, name), bytes, cancellationToken);
        }
    }

    private static bool SameOptions(AnalysisOptions a, AnalysisOptions b) =>
        JsonSerializer.Serialize(a with { Parallelism = 0 }, ReportJson.Options) == JsonSerializer.Serialize(b with { Parallelism = 0 }, ReportJson.Options);
}
