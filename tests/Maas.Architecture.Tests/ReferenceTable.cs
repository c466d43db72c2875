using System.Text.RegularExpressions;

namespace Maas.Architecture.Tests;

/// <summary>The "may reference" column of the projects table in <c>docs/architecture.md</c>.</summary>
internal static partial class ReferenceTable
{
    /// <summary>Each project named in the table, with the projects it may reference.</summary>
    public static IReadOnlyDictionary<string, IReadOnlySet<string>> Read(string markdownPath)
    {
        var table = new Dictionary<string, IReadOnlySet<string>>(StringComparer.Ordinal);
        foreach (var line in File.ReadLines(markdownPath))
        {
            var cells = line.Split('|', StringSplitOptions.TrimEntries);
            // | `Maas.X` (planned) | owns | may reference |  splits into ["", name, owns, refs, ""].
            if (cells.Length != 5 || ProjectName().Match(cells[1]) is not { Success: true } name)
            {
                continue;
            }

            var allowed = ProjectName().Matches(cells[3]).Select(m => m.Groups[1].Value).ToHashSet(StringComparer.Ordinal);
            table[name.Groups[1].Value] = allowed;
        }

        return table;
    }

    [GeneratedRegex(@"`(Maas\.[A-Za-z]+)`")]
    private static partial Regex ProjectName();
}
