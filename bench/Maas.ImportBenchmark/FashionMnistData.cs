using System.Buffers.Binary;
using System.Globalization;
using System.IO.Compression;
using Maas.Imaging;

namespace Maas.ImportBenchmark;

/// <summary>
/// The 70,000 Fashion-MNIST images from the Debian package dataset-fashion-mnist, and the sources the benchmark
/// imports made from them: IDX subsets and class-per-folder PNG trees, written once into a cache folder.
/// </summary>
internal sealed class FashionMnistData
{
    /// <summary>Where the Debian package puts the files.</summary>
    public const string DefaultFolder = "/usr/share/datasets/fashion-mnist";

    /// <summary>Fashion-MNIST's class names in label order.</summary>
    public static readonly string[] ClassNames =
        ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"];

    // Folder names for the PNG tree: the class names made safe for a file system ("T-shirt/top" holds a slash).
    private static readonly string[] s_folderNames =
        ["t-shirt-top", "trouser", "pullover", "dress", "coat", "sandal", "shirt", "sneaker", "bag", "ankle-boot"];

    private const int Side = 28;
    private const int Pixels = Side * Side;

    private readonly (byte[] Images, byte[] Labels) _train;
    private readonly (byte[] Images, byte[] Labels) _test;

    private FashionMnistData(string folder, (byte[], byte[]) train, (byte[], byte[]) test)
    {
        Folder = folder;
        _train = train;
        _test = test;
    }

    /// <summary>The folder of the four IDX files.</summary>
    public string Folder { get; }

    /// <summary>All images: 60,000 training and 10,000 test.</summary>
    public int Count => TrainCount + TestCount;

    private int TrainCount => _train.Labels.Length;

    private int TestCount => _test.Labels.Length;

    /// <summary>Whether <paramref name="folder"/> holds the four gzip-compressed IDX files.</summary>
    public static bool Exists(string folder) =>
        new[] { "train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte" }
            .All(name => File.Exists(Path.Combine(folder, name + ".gz")));

    /// <summary>Reads the four files (about 55 MB unpacked).</summary>
    public static FashionMnistData Load(string folder) => new(folder,
        (ReadIdx(folder, "train-images-idx3-ubyte", 16), ReadIdx(folder, "train-labels-idx1-ubyte", 8)),
        (ReadIdx(folder, "t10k-images-idx3-ubyte", 16), ReadIdx(folder, "t10k-labels-idx1-ubyte", 8)));

    /// <summary>
    /// How a subset of <paramref name="count"/> images divides between the splits: in Fashion-MNIST's own
    /// proportion (6 training images to 1 test image), so 70,000 is the whole dataset.
    /// </summary>
    public (int Train, int Test) SplitOf(int count)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 2);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, Count);
        var train = Math.Min(TrainCount, (int)Math.Round(count * (double)TrainCount / Count));
        return (train, count - train);
    }

    /// <summary>
    /// The IDX folder for <paramref name="count"/> images: the package's own folder for all of them, else the first
    /// images of each split written once under <paramref name="cache"/> as gzip-compressed IDX files.
    /// </summary>
    public string IdxFolder(string cache, int count)
    {
        if (count == Count)
        {
            return Folder;
        }

        var target = Path.Combine(cache, $"idx-{count}");
        if (Directory.Exists(target))
        {
            return target;
        }

        var (train, test) = SplitOf(count);
        var partial = PartialFolder(target);
        foreach (var (prefix, data, n) in new[] { ("train", _train, train), ("t10k", _test, test) })
        {
            WriteIdx(Path.Combine(partial, $"{prefix}-images-idx3-ubyte.gz"), [n, Side, Side], data.Images.AsSpan(0, n * Pixels));
            WriteIdx(Path.Combine(partial, $"{prefix}-labels-idx1-ubyte.gz"), [n], data.Labels.AsSpan(0, n));
        }

        Directory.Move(partial, target);
        return target;
    }

    /// <summary>
    /// The PNG tree for <paramref name="count"/> images, <c>root/&lt;train|test&gt;/&lt;class&gt;/&lt;n&gt;.png</c>,
    /// written once under <paramref name="cache"/> (renamed into place when complete, so an interrupted write is redone).
    /// </summary>
    public string PngTree(string cache, int count)
    {
        var target = Path.Combine(cache, $"png-{count}");
        if (Directory.Exists(target))
        {
            return target;
        }

        var (train, test) = SplitOf(count);
        var partial = PartialFolder(target);
        foreach (var (split, data, n) in new[] { ("train", _train, train), ("test", _test, test) })
        {
            foreach (var name in s_folderNames)
            {
                Directory.CreateDirectory(Path.Combine(partial, split, name));
            }

            Parallel.For(0, n, i =>
            {
                var png = ImageEncoder.EncodePng(data.Images.AsSpan(i * Pixels, Pixels), Side, Side, 1);
                File.WriteAllBytes(Path.Combine(partial, split, s_folderNames[data.Labels[i]], i.ToString("D5", CultureInfo.InvariantCulture) + ".png"), png);
            });
        }

        Directory.Move(partial, target);
        return target;
    }

    private static string PartialFolder(string target)
    {
        var partial = target + ".partial";
        if (Directory.Exists(partial))
        {
            Directory.Delete(partial, recursive: true);
        }

        Directory.CreateDirectory(partial);
        return partial;
    }

    private static byte[] ReadIdx(string folder, string name, int headerLength)
    {
        using var zip = new GZipStream(File.OpenRead(Path.Combine(folder, name + ".gz")), CompressionMode.Decompress);
        using var memory = new MemoryStream();
        zip.CopyTo(memory);
        return memory.GetBuffer().AsSpan(headerLength, (int)memory.Length - headerLength).ToArray();
    }

    private static void WriteIdx(string path, int[] dimensions, ReadOnlySpan<byte> data)
    {
        using var file = File.Create(path);
        using var zip = new GZipStream(file, CompressionLevel.Fastest);
        Span<byte> header = stackalloc byte[4 + (4 * dimensions.Length)];
        header[2] = 0x08;
        header[3] = (byte)dimensions.Length;
        for (var i = 0; i < dimensions.Length; i++)
        {
            BinaryPrimitives.WriteInt32BigEndian(header[(4 + (4 * i))..], dimensions[i]);
        }

        zip.Write(header);
        zip.Write(data);
    }
}
