using System.Globalization;
using System.Runtime.CompilerServices;
using Maas.Core.Datasets;
using Maas.Core.Errors;
using Maas.Imaging;

namespace Maas.Datasets.Idx;

/// <summary>
/// The files of an MNIST-family dataset in one folder: <c>train-images-idx3-ubyte</c>, <c>train-labels-idx1-ubyte</c>,
/// and <c>t10k-*</c> (or <c>test-*</c>), each optionally <c>.gz</c>. Images are streamed and become lossless grayscale
/// PNGs, so every later stage decodes them like any other image.
/// </summary>
public sealed class IdxSource : IImportSource
{
    private static readonly string[] s_testPrefixes = ["t10k", "test"];
    private readonly List<(Split Split, string Images, string Labels)> _parts;
    private readonly IReadOnlyList<string>? _classNames;
    private readonly IReadOnlyList<string>? _previousClasses;

    private IdxSource(List<(Split, string, string)> parts, int count, IReadOnlyList<string>? classNames, IReadOnlyList<string>? previousClasses)
    {
        _parts = parts;
        Count = count;
        _classNames = classNames;
        _previousClasses = previousClasses;
    }

    /// <inheritdoc />
    public string Kind => "idx";

    /// <inheritdoc />
    public IReadOnlyList<string>? ClassOrder { get; private set; }

    /// <inheritdoc />
    public int? Count { get; }

    /// <summary>Whether <paramref name="folder"/> holds a train or test image file.</summary>
    public static bool Detect(string folder) =>
        Find(folder, ["train"], "images-idx3-ubyte") is not null || Find(folder, s_testPrefixes, "images-idx3-ubyte") is not null;

    /// <summary>Finds the folder's files and checks their headers.</summary>
    /// <param name="folder">The folder.</param>
    /// <param name="classNames">Names for labels 0..K-1, or null.</param>
    /// <param name="previousClasses">The dataset's previous class list, used when no names are given and it fits.</param>
    /// <exception cref="InvalidInputException">Files are missing, malformed, or images and labels disagree.</exception>
    public static IdxSource Open(string folder, IReadOnlyList<string>? classNames, IReadOnlyList<string>? previousClasses)
    {
        var parts = new List<(Split, string, string)>();
        var count = 0;
        foreach (var (split, prefixes) in new[] { (Split.Train, new[] { "train" }), (Split.Test, s_testPrefixes) })
        {
            var images = Find(folder, prefixes, "images-idx3-ubyte");
            if (images is null)
            {
                continue;
            }

            var labels = Find(folder, prefixes, "labels-idx1-ubyte")
                ?? throw new InvalidInputException($"{folder}: {Path.GetFileName(images)} has no matching {prefixes[0]}-labels-idx1-ubyte file.");
            using var imageStream = IdxStream.Open(images);
            using var labelStream = IdxStream.Open(labels);
            if (imageStream.Dimensions.Count != 3)
            {
                throw new InvalidInputException($"{images}: expected 3 dimensions (count, rows, columns), found {imageStream.Dimensions.Count}.");
            }

            if (labelStream.Dimensions.Count != 1 || labelStream.Dimensions[0] != imageStream.Dimensions[0])
            {
                throw new InvalidInputException($"{labels}: {string.Join('x', labelStream.Dimensions)} labels for {imageStream.Dimensions[0]} images.");
            }

            parts.Add((split, images, labels));
            count += imageStream.Dimensions[0];
        }

        return parts.Count == 0
            ? throw new InvalidInputException($"{folder}: no IDX image files (train-images-idx3-ubyte[.gz], t10k-images-idx3-ubyte[.gz]).")
            : new IdxSource(parts, count, classNames, previousClasses);
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<ImportCandidate> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // Labels are small (one byte each): read them all first to fix the class list before the first image.
        var labelsBySplit = new List<byte[]>();
        foreach (var (_, _, labelsPath) in _parts)
        {
            using var labels = IdxStream.Open(labelsPath);
            labelsBySplit.Add(await labels.ReadAllAsync(cancellationToken));
        }

        var classCount = labelsBySplit.SelectMany(l => l).DefaultIfEmpty().Max() + 1;
        var names = ClassList(classCount, _classNames, _previousClasses);
        ClassOrder = names;
        for (var p = 0; p < _parts.Count; p++)
        {
            var (split, imagesPath, _) = _parts[p];
            using var images = IdxStream.Open(imagesPath);
            var (rows, cols) = (images.Dimensions[1], images.Dimensions[2]);
            var file = Path.GetFileName(imagesPath);
            var splitName = split.ToName();
            for (var i = 0; i < images.Dimensions[0]; i++)
            {
                var pixels = new byte[rows * cols];
                await images.ReadRecordAsync(pixels, cancellationToken);
                var id = $"{splitName}/{i.ToString("D5", CultureInfo.InvariantCulture)}";
                yield return new ImportCandidate(id, $"{file}#{i}", names[labelsBySplit[p][i]], split,
                    _ => ValueTask.FromResult(ImageEncoder.EncodePng(pixels, cols, rows, 1)));
            }
        }
    }

    /// <summary>Names for labels 0..<paramref name="count"/>-1: the given names, else the previous version's when they fit, else the numbers.</summary>
    /// <exception cref="InvalidInputException">Fewer names are given than there are labels.</exception>
    internal static IReadOnlyList<string> ClassList(int count, IReadOnlyList<string>? classNames, IReadOnlyList<string>? previousClasses)
    {
        if (classNames is not null)
        {
            return classNames.Count < count
                ? throw new InvalidInputException($"--classes: {classNames.Count} names given, but the labels run from 0 to {count - 1}.")
                : classNames;
        }

        // IDX labels are indices: a re-import keeps the names the dataset already gave them.
        return previousClasses is not null && previousClasses.Count == count
            ? previousClasses
            : Enumerable.Range(0, count).Select(i => i.ToString(CultureInfo.InvariantCulture)).ToArray();
    }

    private static string? Find(string folder, IEnumerable<string> prefixes, string suffix) =>
        prefixes.SelectMany(p => new[] { $"{p}-{suffix}", $"{p}-{suffix}.gz" })
            .Select(name => Path.Combine(folder, name))
            .FirstOrDefault(File.Exists);
}
