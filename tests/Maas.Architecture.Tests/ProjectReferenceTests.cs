using System.Xml.Linq;
using Maas.Testing;

namespace Maas.Architecture.Tests;

/// <summary>The projects under <c>src/</c> reference only what <c>docs/architecture.md</c> allows.</summary>
public sealed class ProjectReferenceTests
{
    private static readonly string s_document = RepositoryFolder.Combine("docs", "architecture.md");

    [Fact]
    public void EveryProjectReference_IsAllowedByTheArchitectureTable()
    {
        var table = ReferenceTable.Read(s_document);
        var violations = new List<string>();
        foreach (var (project, references) in SourceProjects())
        {
            if (!table.TryGetValue(project, out var allowed))
            {
                violations.Add($"{project} has no row in docs/architecture.md");
                continue;
            }

            violations.AddRange(references.Where(r => !allowed.Contains(r)).Select(r => $"{project} references {r}, which its row does not allow"));
        }

        Assert.True(violations.Count == 0, string.Join(Environment.NewLine, violations));
    }

    [Fact]
    public void Engines_DoNotReferenceEachOther()
    {
        string[] engines = ["Maas.Analysis", "Maas.Training", "Maas.Inference"];
        var projects = SourceProjects();

        foreach (var engine in engines.Where(projects.ContainsKey))
        {
            Assert.Empty(projects[engine].Intersect(engines));
        }
    }

    [Fact]
    public void TheTable_IsRead_AndNamesEveryLayer()
    {
        var table = ReferenceTable.Read(s_document);

        // A table the parser silently failed to read would make the first test pass vacuously.
        Assert.Empty(table["Maas.Core"]);
        Assert.Contains("Maas.Core", table["Maas.Imaging"]);
        Assert.Contains("Maas.Workflows", table["Maas.Cli"]);
        Assert.DoesNotContain("Maas.Analysis", table["Maas.Training"]);
    }

    [Fact]
    public void TheCheck_CatchesAForbiddenReference()
    {
        var table = ReferenceTable.Read(s_document);
        var forbidden = new[] { ("Maas.Training", "Maas.Storage"), ("Maas.Core", "Maas.Imaging"), ("Maas.Inference", "Maas.Training") };

        Assert.All(forbidden, pair => Assert.DoesNotContain(pair.Item2, table[pair.Item1]));
    }

    private static Dictionary<string, string[]> SourceProjects() =>
        Directory.GetFiles(RepositoryFolder.Combine("src"), "*.csproj", SearchOption.AllDirectories)
            .ToDictionary(
                path => Path.GetFileNameWithoutExtension(path),
                path => XDocument.Load(path).Descendants("ProjectReference")
                    .Select(r => Path.GetFileNameWithoutExtension(r.Attribute("Include")!.Value.Replace('\\', '/')))
                    .ToArray(),
                StringComparer.Ordinal);
}
