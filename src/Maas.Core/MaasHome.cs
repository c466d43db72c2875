namespace Maas.Core;

/// <summary>
/// The one folder that holds everything a user makes: <c>maas.db</c> (metadata), <c>blobs/</c> (content-addressed
/// images) and <c>artifacts/</c> (runs and model versions).
/// </summary>
/// <param name="Root">The home folder itself.</param>
public sealed record MaasHome(string Root)
{
    /// <summary>The environment variable that moves the home folder; the default is <c>~/.maas</c>.</summary>
    public const string EnvironmentVariable = "MAAS_HOME";

    /// <summary>The SQLite metadata database.</summary>
    public string DatabasePath => Path.Combine(Root, "maas.db");

    /// <summary>The content-addressed blob folder.</summary>
    public string BlobsPath => Path.Combine(Root, "blobs");

    /// <summary>The artifact folder (run outputs, model versions).</summary>
    public string ArtifactsPath => Path.Combine(Root, "artifacts");

    /// <summary>Where processes record that they use the home (<c>locks/</c>): the home lock and its holders.</summary>
    public string LocksPath => Path.Combine(Root, "locks");

    /// <summary>Where model files are staged before the registry takes them (<c>artifacts/.staging</c>).</summary>
    public string StagingPath => Path.Combine(ArtifactsPath, ".staging");

    /// <summary>Where imports keep their manifest until the commit (<c>tmp/</c>).</summary>
    public string ImportStagingPath => Path.Combine(Root, "tmp");

    /// <summary>Where the shard caches of preprocessed images live (<c>cache/preprocessed</c>); safe to delete.</summary>
    public string PreprocessedCachePath => Path.Combine(Root, "cache", "preprocessed");

    /// <summary>The home named by <c>MAAS_HOME</c>, or <c>~/.maas</c>.</summary>
    public static MaasHome FromEnvironment()
    {
        var configured = Environment.GetEnvironmentVariable(EnvironmentVariable);
        var root = string.IsNullOrWhiteSpace(configured)
            ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".maas")
            : configured;
        return new MaasHome(Path.GetFullPath(root));
    }

    /// <summary>Creates the home's folders when missing.</summary>
    public MaasHome EnsureCreated()
    {
        Directory.CreateDirectory(Root);
        Directory.CreateDirectory(BlobsPath);
        Directory.CreateDirectory(ArtifactsPath);
        return this;
    }
}
