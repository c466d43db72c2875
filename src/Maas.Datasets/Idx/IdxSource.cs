using System.Globalization;
using Maas.Core.Datasets;
using Maas.Core.Errors;
using Maas.Imaging;

namespace Maas.Datasets.Idx;

/// <summary>
/// The four files of an MNIST-family dataset in one folder: <c>train-images-idx3-ubyte</c>,
/// <c>train-labels-idx1-ubyte</c>, and <c>t10k-*</c> (or <c>test-*</c>), each optionally <c>.gz</c>. Images become
/// lossless grayscale PNGs so that every later stage decodes them like any other image.
/// </summary>
public static class IdxSource
{
    private static readonly string[] s_testPrefixes = ["t10k", "test"];

    /// <summary>Whether <paramref name="folder"/> holds a train or test image file.</summary>
    public static bool Detect(string folder) =>
        Find(folder, ["train"], "images-idx3-ubyte") is not null || Find(folder, s_testPrefixes, "images-idx3-ubyte") is not null;

    /// <summary>Reads the folder's images and labels.</summary>
    /// <exception cref="InvalidInputException">A file is malformed, or images and labels disagree.</exception>
    public static async Task<ImportSource> ReadAsync(string folder, IReadOnlyList<string>? classNames, CancellationToken cancellationToken)
    {
        var candidates = new List<ImportCandidate>();
        var maxLabel = -1;
        foreach (var (split, prefixes) in new[] { (Split.Train, new[] { "train" }), (Split.Test, s_testPrefixes) })
        {
            var imagesPath = Find(folder, prefixes, "images-idx3-ubyte");
            if (imagesPath is null)
            {
                continue;
            }

            var labelsPath = Find(folder, prefixes, "labels-idx1-ubyte")
                ?? throw new InvalidInputException($"{folder}: {Path.GetFileName(imagesPath)} has no matching {prefixes[0]}-labels-idx1-ubyte file.");
            var images = await IdxArray.ReadAsync(imagesPath, cancellationToken);
            var labels = await IdxArray.ReadAsync(labelsPath, cancellationToken);
            if (images.Dimensions.Count != 3)
            {
                throw new InvalidInputException($"{imagesPath}: expected 3 dimensions (count, rows, columns), found {images.Dimensions.Count}.");
            }

            if (labels.Dimensions.Count != 1 || labels.Dimensions[0] != images.Dimensions[0])
            {
                throw new InvalidInputException($"{labelsPath}: {string.Join('x', labels.Dimensions)} labels for {images.Dimensions[0]} images.");
            }

            var (count, rows, cols) = (images.Dimensions[0], images.Dimensions[1], images.Dimensions[2]);
            var splitName = split.ToName();
            var file = Path.GetFileName(imagesPath);
            for (var i = 0; i < count; i++)
            {
                var index = i;
                int label = labels.Data[i];
                maxLabel = Math.Max(maxLabel, label);
                var id = $"{splitName}/{i.ToString("D5", CultureInfo.InvariantCulture)}";
                candidates.Add(new ImportCandidate(id, $"{file}#{i}", label, split,
                    _ => Task.FromResult(ImageEncoder.EncodePng(images.Data.AsSpan(index * rows * cols, rows * cols), cols, rows, 1))));
            }
        }

        if (candidates.Count == 0)
        {
            throw new InvalidInputException($"{folder}: no IDX image files (train-images-idx3-ubyte[.gz], t10k-images-idx3-ubyte[.gz]).");
        }

        return new ImportSource("idx", ClassList(classNames, maxLabel + 1, folder), candidates, []);
    }

    private static IReadOnlyList<string> ClassList(IReadOnlyList<string>? names, int count, string folder)
    {
        if (names is null)
        {
            return Enumerable.Range(0, count).Select(i => i.ToString(CultureInfo.InvariantCulture)).ToArray();
        }

        return names.Count < count
            ? throw new InvalidInputException($"--classes: {names.Count} names given, but the labels in {folder} run from 0 to {count - 1}.")
            : names;
    }

    private static string? Find(string folder, IEnumerable<string> prefixes, string suffix) =>
        prefixes.SelectMany(p => new[] { $"{p}-{suffix}", $"{p}-{suffix}.gz" })
            .Select(name => Path.Combine(folder, name))
            .FirstOrDefault(File.Exists);
}
