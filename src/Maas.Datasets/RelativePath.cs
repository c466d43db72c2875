namespace Maas.Datasets;

/// <summary>
/// Checks and normalizes a path written inside a source (a manifest row, an archive entry name) that must stay inside
/// its folder. Both <c>/</c> and <c>\</c> separate segments, so a name made on Windows reads as intended and
/// <c>..\x</c> cannot slip past; <c>.</c> and empty segments are dropped and <c>..</c> climbs one folder. Absolute
/// paths, drive letters, UNC names and any climb above the start are refused, never resolved.
/// </summary>
internal static class RelativePath
{
    /// <summary>
    /// Normalizes <paramref name="path"/> to <c>a/b/c</c> form, or says why it is refused
    /// (a phrase such as "an absolute path").
    /// </summary>
    public static bool TryNormalize(string path, out string normalized, out string reason)
    {
        normalized = "";
        if (string.IsNullOrWhiteSpace(path))
        {
            reason = "an empty path";
            return false;
        }

        if (path.Contains('\0', StringComparison.Ordinal))
        {
            reason = "a path with a NUL character";
            return false;
        }

        var unified = path.Replace('\\', '/');
        if (unified.StartsWith('/'))
        {
            reason = "an absolute path";
            return false;
        }

        if (unified.Length >= 2 && unified[1] == ':' && char.IsAsciiLetter(unified[0]))
        {
            reason = "a path with a drive letter";
            return false;
        }

        var segments = new List<string>();
        foreach (var segment in unified.Split('/'))
        {
            if (segment.Length == 0 || segment == ".")
            {
                continue;
            }

            if (segment == "..")
            {
                if (segments.Count == 0)
                {
                    reason = "a path that climbs out of its folder with '..'";
                    return false;
                }

                segments.RemoveAt(segments.Count - 1);
                continue;
            }

            segments.Add(segment);
        }

        if (segments.Count == 0)
        {
            reason = "an empty path";
            return false;
        }

        normalized = string.Join('/', segments);
        reason = "";
        return true;
    }
}
