namespace Maas.Imaging;

/// <summary>Encoded image formats Maas recognises, sniffed from the leading bytes rather than trusted from a name.</summary>
public enum ImageFormat
{
    /// <summary>Not a format Maas decodes.</summary>
    Unknown,

    /// <summary>Portable Network Graphics.</summary>
    Png,

    /// <summary>JPEG (JFIF or EXIF).</summary>
    Jpeg,

    /// <summary>WebP (RIFF container).</summary>
    WebP,

    /// <summary>Graphics Interchange Format (first frame).</summary>
    Gif,

    /// <summary>Windows bitmap.</summary>
    Bmp,
}
