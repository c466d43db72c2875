using System.Text;
using Maas.Core.Errors;

namespace Maas.Core.Datasets;

/// <summary>
/// Where each sample of a dataset version goes in a class-per-folder tree <c>&lt;split&gt;/&lt;class folder&gt;/&lt;file&gt;</c>,
/// the layout the folder importer reads. Class names become safe folder names (<c>T-shirt/top</c> becomes
/// <c>T-shirt_top</c>); files keep their original names where those are safe, carry an extension that matches
/// their format, and are unique in their folder, and are otherwise named after the sample id.
/// </summary>
/// <param name="Folders">The class folder of each class, in label order.</param>
/// <param name="Files">Every sample and its path in the tree, in manifest order.</param>
public sealed record ClassFolderLayout(IReadOnlyList<ClassFolder> Folders, IReadOnlyList<LaidOutSample> Files)
{
    /// <summary>The file at the root of an exported tree that maps class folders to class names, in label order.</summary>
    public const string ClassesFileName = "classes.json";

    // Folder and file names are kept well under the usual 255-byte limit, leaving room for "~2" suffixes.
    private const int MaxNameBytes = 200;

    /// <summary>Lays out <paramref name="samples"/>, the manifest of <paramref name="version"/>.</summary>
    /// <exception cref="InvalidInputException">A sample's label is outside the version's class list.</exception>
    public static ClassFolderLayout Plan(DatasetVersion version, IReadOnlyList<Sample> samples)
    {
        ArgumentNullException.ThrowIfNull(version);
        ArgumentNullException.ThrowIfNull(samples);
        var folders = FolderNames(version.Classes);
        var byFolder = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        for (var i = 0; i < samples.Count; i++)
        {
            var s = samples[i];
            if (s.Label < 0 || s.Label >= folders.Count)
            {
                throw new InvalidInputException($"{version.Reference}: sample {s.SampleId} has label {s.Label}, outside its {folders.Count} classes.");
            }

            var folder = $"{s.Split.ToName()}/{folders[s.Label].Folder}";
            if (!byFolder.TryGetValue(folder, out var members))
            {
                members = [];
                byFolder[folder] = members;
            }

            members.Add(i);
        }

        var paths = new string[samples.Count];
        foreach (var (folder, members) in byFolder)
        {
            var names = FileNames(members.Select(i => samples[i]).ToArray());
            for (var m = 0; m < members.Count; m++)
            {
                paths[members[m]] = $"{folder}/{names[m]}";
            }
        }

        return new ClassFolderLayout(folders, samples.Select((s, i) => new LaidOutSample(paths[i], s)).ToArray());
    }

    /// <summary>
    /// Turns a class name into a folder name: characters that are unsafe in a path on common file systems become
    /// <c>_</c>, a leading <c>.</c> is prefixed with <c>_</c> (so <c>.</c>, <c>..</c> and hidden names cannot occur), and long
    /// names are shortened. Uniqueness across classes is <see cref="Plan"/>'s job.
    /// </summary>
    public static string SafeName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var safe = new StringBuilder(name.Length);
        foreach (var c in name)
        {
            safe.Append(char.IsControl(c) || c is '/' or '\\' or ':' or '*' or '?' or '"' or '<' or '>' or '|' ? '_' : c);
        }

        var text = safe.ToString().TrimEnd(' ', '.');
        text = text.Length == 0 ? "_" : text.StartsWith('.') ? "_" + text : text;
        return Shorten(text, MaxNameBytes);
    }

    private static List<ClassFolder> FolderNames(IReadOnlyList<string> classes)
    {
        // Compared without case, so the tree also unpacks on case-insensitive file systems.
        var taken = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var folders = new List<ClassFolder>(classes.Count);
        foreach (var name in classes)
        {
            folders.Add(new ClassFolder(Unique(SafeName(name), taken), name));
        }

        return folders;
    }

    private static string[] FileNames(Sample[] samples)
    {
        var originals = samples.Select(s => OriginalName(s)).ToArray();
        var counts = originals.Where(n => n is not null).GroupBy(n => n!, StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => g.Count(), StringComparer.OrdinalIgnoreCase);
        var names = new string?[samples.Length];
        var taken = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < samples.Length; i++)
        {
            if (originals[i] is { } original && counts[original] == 1)
            {
                names[i] = original;
                taken.Add(original);
            }
        }

        // Sample ids are unique, but sanitized they can meet each other or an original name: Unique adds "~2", "~3", ...
        for (var i = 0; i < samples.Length; i++)
        {
            names[i] ??= Unique(IdName(samples[i]), taken);
        }

        return names!;
    }

    /// <summary>The original file name, when it is safe, visible, fits, and its extension matches the stored format.</summary>
    private static string? OriginalName(Sample sample)
    {
        var path = sample.OriginalPath.Replace('\\', '/');
        var name = path[(path.LastIndexOf('/') + 1)..];
        return name.Length > 0 && SafeName(name) == name && HasExtensionOf(name, sample.Format) ? name : null;
    }

    private static string IdName(Sample sample)
    {
        var name = SafeName(sample.SampleId.Replace('/', '_').Replace('\\', '_'));
        return HasExtensionOf(name, sample.Format) ? name : Shorten(name, MaxNameBytes - 8) + ExtensionOf(sample.Format);
    }

    private static bool HasExtensionOf(string name, string format)
    {
        var extension = Path.GetExtension(name).ToLowerInvariant();
        return format.ToLowerInvariant() switch
        {
            "jpeg" => extension is ".jpg" or ".jpeg" or ".jpe" or ".jfif",
            "bmp" => extension is ".bmp" or ".dib",
            var other => extension == "." + other,
        };
    }

    private static string ExtensionOf(string format) => format.ToLowerInvariant() switch
    {
        "jpeg" => ".jpg",
        var other => "." + SafeName(other),
    };

    private static string Unique(string name, HashSet<string> taken)
    {
        if (taken.Add(name))
        {
            return name;
        }

        var extension = Path.GetExtension(name);
        var stem = name[..^extension.Length];
        for (var n = 2; ; n++)
        {
            var candidate = $"{stem}~{n}{extension}";
            if (taken.Add(candidate))
            {
                return candidate;
            }
        }
    }

    private static string Shorten(string text, int maxBytes)
    {
        if (Encoding.UTF8.GetByteCount(text) <= maxBytes)
        {
            return text;
        }

        var end = text.Length;
        while (end > 0 && Encoding.UTF8.GetByteCount(text.AsSpan(0, end)) > maxBytes)
        {
            end--;
        }

        // Never split a surrogate pair.
        if (end > 0 && char.IsHighSurrogate(text[end - 1]))
        {
            end--;
        }

        return text[..end];
    }
}

/// <summary>The folder a class is written to.</summary>
/// <param name="Folder">The folder name, unique among the classes.</param>
/// <param name="ClassName">The class name it stands for.</param>
public sealed record ClassFolder(string Folder, string ClassName);

/// <summary>A sample and its place in a class-per-folder tree.</summary>
/// <param name="RelativePath">The path below the tree's root, with <c>/</c> separators: <c>&lt;split&gt;/&lt;class folder&gt;/&lt;file&gt;</c>.</param>
/// <param name="Sample">The sample.</param>
public sealed record LaidOutSample(string RelativePath, Sample Sample);
