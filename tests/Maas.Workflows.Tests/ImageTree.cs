using Maas.Testing;

namespace Maas.Workflows.Tests;

/// <summary>Class-per-folder trees of small generated PNGs, every image distinct.</summary>
internal static class ImageTree
{
    /// <summary>Writes root/&lt;split&gt;/&lt;class&gt;/&lt;i&gt;.png for each entry; <c>Seed</c> varies the pixels and (by fifties) the width.</summary>
    public static string Write(string root, params (string Split, string Class, int Count, int Seed)[] folders)
    {
        foreach (var (split, cls, count, seed) in folders)
        {
            var folder = Path.Combine(root, split, cls);
            Directory.CreateDirectory(folder);
            for (var i = 0; i < count; i++)
            {
                File.WriteAllBytes(Path.Combine(folder, $"{i}.png"), TestImages.GradientRgbPng(4 + (seed / 50), 4, (byte)(seed + i)));
            }
        }

        return root;
    }
}
