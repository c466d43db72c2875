using System.Globalization;
using System.IO.Compression;
using Maas.Imaging;

namespace Maas.PipelineThroughput;

/// <summary>
/// The first Fashion-MNIST test images as grayscale PNG files, written once with Maas' own encoder so that every
/// implementation reads identical files.
/// </summary>
internal static class FashionMnistPngs
{
    /// <summary>The Debian package dataset-fashion-mnist's test images.</summary>
    public const string Source = "/usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz";

    /// <summary>Images in the test file.</summary>
    public const int TestImages = 10_000;

    private const int Side = 28;
    private const int Pixels = Side * Side;
    private const int HeaderLength = 16;

    /// <summary>
    /// The folder holding all test images as <c>00000.png</c>...; written under <paramref name="work"/> when missing
    /// (renamed into place when complete, so an interrupted write is redone).
    /// </summary>
    public static string Prepare(string work)
    {
        const int count = TestImages;
        var target = Path.Combine(work, "fashion-png");
        if (Directory.Exists(target))
        {
            return target;
        }

        var partial = target + ".partial";
        if (Directory.Exists(partial))
        {
            Directory.Delete(partial, recursive: true);
        }

        Directory.CreateDirectory(partial);
        var images = ReadImages(count);
        Parallel.For(0, count, i =>
        {
            var png = ImageEncoder.EncodePng(images.AsSpan(i * Pixels, Pixels), Side, Side, 1);
            File.WriteAllBytes(Path.Combine(partial, FileName(i)), png);
        });
        Directory.Move(partial, target);
        return target;
    }

    /// <summary>The file name of image <paramref name="index"/>.</summary>
    public static string FileName(int index) => index.ToString("D5", CultureInfo.InvariantCulture) + ".png";

    private static byte[] ReadImages(int count)
    {
        using var zip = new GZipStream(File.OpenRead(Source), CompressionMode.Decompress);
        var header = new byte[HeaderLength];
        zip.ReadExactly(header);
        var pixels = new byte[count * Pixels];
        zip.ReadExactly(pixels);
        return pixels;
    }
}
