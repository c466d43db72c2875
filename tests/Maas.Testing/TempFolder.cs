namespace Maas.Testing;

/// <summary>A folder under the system temp folder, deleted on dispose.</summary>
public sealed class TempFolder : IDisposable
{
    /// <summary>Creates an empty folder.</summary>
    public TempFolder() => Directory.CreateDirectory(Path);

    /// <summary>The folder's path.</summary>
    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "maas-test-" + Guid.NewGuid().ToString("N")[..12]);

    /// <summary>A path inside the folder.</summary>
    public string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    /// <inheritdoc />
    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A file still open on a slow shutdown is not worth failing a test over.
        }
    }
}
