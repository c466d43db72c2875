namespace Maas.Testing;

/// <summary>The checkout the tests were built from: found by walking up from the test assembly to <c>Maas.slnx</c>.</summary>
public static class RepositoryFolder
{
    /// <summary>The folder holding <c>Maas.slnx</c>.</summary>
    public static string Path { get; } = Find();

    /// <summary>A path inside the checkout.</summary>
    public static string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    private static string Find()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(folder.FullName, "Maas.slnx")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException($"No Maas.slnx above {AppContext.BaseDirectory}.");
    }
}
