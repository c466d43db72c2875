namespace Maas.Datasets;

/// <summary>The layouts <c>maas dataset import --format</c> accepts.</summary>
public enum ImportFormat
{
    /// <summary>Detect from the bytes and the layout (the default).</summary>
    Auto,

    /// <summary>MNIST-family IDX files, gzip or plain.</summary>
    Idx,

    /// <summary>A class-per-folder tree.</summary>
    Folder,

    /// <summary>A CSV manifest: <c>path,label[,split]</c>, paths relative to the manifest.</summary>
    Csv,

    /// <summary>A JSON Lines manifest with <c>path</c>, <c>label</c> and optional <c>split</c> fields.</summary>
    Jsonl,

    /// <summary>A zip archive of any of the other layouts.</summary>
    Zip,

    /// <summary>A tar archive, plain or gzip-compressed, of any of the other layouts.</summary>
    Tar,
}
