using Maas.Core;
using Maas.Core.Models;
using Maas.Core.Runs;
using Maas.Storage.Locking;

namespace Maas.Workflows.Maintenance;

/// <summary>Run folders (<c>runs/ID</c>) and model version folders (<c>models/NAME/N</c>) that no run or version row points at.</summary>
internal static class OrphanArtifacts
{
    /// <summary>The orphan folders, relative to the artifact folder with forward slashes.</summary>
    public static List<string> Find(MaasHome home, IEnumerable<Run> runs, IEnumerable<ModelVersion> versions)
    {
        var root = home.ArtifactsPath;
        var known = runs.Select(r => r.ArtifactDir).Concat(versions.Select(v => v.ArtifactDir)).Select(Normalize).ToHashSet(StringComparer.Ordinal);
        var orphans = new List<string>();
        var runFolders = Path.Combine(root, "runs");
        if (Directory.Exists(runFolders))
        {
            // A held run lock means a process trains it right now, whatever the metadata says.
            orphans.AddRange(Directory.EnumerateDirectories(runFolders).Where(f => !known.Contains(Relative(f)) && !RunLock.IsHeld(f)).Select(Relative));
        }

        var modelFolders = Path.Combine(root, "models");
        if (Directory.Exists(modelFolders))
        {
            orphans.AddRange(Directory.EnumerateDirectories(modelFolders).SelectMany(Directory.EnumerateDirectories)
                .Where(f => !known.Contains(Relative(f))).Select(Relative));
        }

        orphans.Sort(StringComparer.Ordinal);
        return orphans;

        string Relative(string folder) => Normalize(Path.GetRelativePath(root, folder));
    }

    private static string Normalize(string relative) => relative.Replace('\\', '/').TrimEnd('/');
}
