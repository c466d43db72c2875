using System.Globalization;
using System.IO.Compression;

namespace Maas.AnalysisBenchmark;

/// <summary>
/// Fashion-MNIST with a known share of its training labels flipped: a copy of the IDX folder whose training labels
/// file has each chosen label moved to a uniformly drawn other class, as a careless annotator would.
/// </summary>
/// <param name="Folder">The IDX folder to import.</param>
/// <param name="Flipped">The sample ids (as the IDX import names them: <c>train/00042</c>) whose labels were flipped.</param>
/// <param name="TrainImages">The 60,000 training images, 28x28 gray, back to back.</param>
/// <param name="TestImages">The 10,000 test images.</param>
internal sealed record FlippedFashionMnist(string Folder, IReadOnlySet<string> Flipped, byte[] TrainImages, byte[] TestImages)
{
    public const int Side = 28;

    public static readonly string[] ClassNames =
        ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"];

    public static FlippedFashionMnist Create(string source, string work, double percent, int seed)
    {
        var folder = Path.Combine(work, string.Create(CultureInfo.InvariantCulture, $"idx-flipped-{percent}-{seed}"));
        Directory.CreateDirectory(folder);
        var labels = Read(source, "train-labels-idx1-ubyte");
        var random = new Random(seed);
        var order = Enumerable.Range(0, labels.Length - 8).ToArray();
        random.Shuffle(order);
        var flipped = new HashSet<string>(StringComparer.Ordinal);
        foreach (var i in order.Take((int)Math.Round(order.Length * percent / 100)))
        {
            labels[8 + i] = (byte)((labels[8 + i] + 1 + random.Next(ClassNames.Length - 1)) % ClassNames.Length);
            flipped.Add("train/" + i.ToString("D5", CultureInfo.InvariantCulture));
        }

        Write(Path.Combine(folder, "train-labels-idx1-ubyte.gz"), labels);
        foreach (var name in new[] { "train-images-idx3-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte" })
        {
            File.Copy(Path.Combine(source, name + ".gz"), Path.Combine(folder, name + ".gz"), overwrite: true);
        }

        return new FlippedFashionMnist(folder, flipped, Read(source, "train-images-idx3-ubyte")[16..], Read(source, "t10k-images-idx3-ubyte")[16..]);
    }

    private static byte[] Read(string folder, string name)
    {
        using var zip = new GZipStream(File.OpenRead(Path.Combine(folder, name + ".gz")), CompressionMode.Decompress);
        using var memory = new MemoryStream();
        zip.CopyTo(memory);
        return memory.ToArray();
    }

    private static void Write(string path, byte[] bytes)
    {
        using var zip = new GZipStream(File.Create(path), CompressionLevel.Fastest);
        zip.Write(bytes);
    }
}
