using System.Diagnostics;

namespace Maas.PipelineThroughput;

/// <summary>The parent side: prepares the inputs, runs every measurement in a fresh child process, prints and saves the tables.</summary>
internal static class ThroughputRun
{
    public static async Task<int> RunAsync(string[] args)
    {
        if (args is ["-h" or "--help"])
        {
            Console.WriteLine(ThroughputOptions.Usage);
            return 0;
        }

        if (ThroughputOptions.Parse(args) is not { } options)
        {
            return 2;
        }

        if (!File.Exists(FashionMnistPngs.Source))
        {
            await Console.Error.WriteLineAsync($"error: {FashionMnistPngs.Source} is missing; install it with 'apt-get install dataset-fashion-mnist'.");
            return 3;
        }

        var photos = Directory.Exists(options.Photos)
            ? Directory.GetFiles(options.Photos, "*.jpg").Order(StringComparer.Ordinal).ToArray()
            : [];
        if (photos.Length == 0)
        {
            await Console.Error.WriteLineAsync($"error: no JPEG photographs in {options.Photos}; install them with 'apt-get install mate-backgrounds'.");
            return 3;
        }

        Directory.CreateDirectory(options.Work);
        var clock = Stopwatch.StartNew();
        var fashionFolder = FashionMnistPngs.Prepare(options.Work);
        Log($"{FashionMnistPngs.TestImages:N0} Fashion-MNIST PNG files ready in {fashionFolder} ({clock.Elapsed.TotalSeconds:F1} s)");

        // The photographs are read in place; each pass over them is a fresh epoch. Warm-ups: two passes of photos
        // (24 calls, about what tiered compilation needs before it optimizes), 500 PNGs.
        var photoList = WriteList(options.Work, "photos.txt", photos);
        var photoWorkload = new Workload(Workload.Photos, $"(a) {photos.Length} JPEG photos, train augment to 3x224x224",
            photoList, photos.Length, options.PhotoRepeat, 2 * photos.Length);
        var photoDraftWorkload = photoWorkload with
        {
            Key = Workload.PhotosDraft,
            Title = $"(a, draft) {photos.Length} JPEG photos, reduced DCT decode, train augment to 3x224x224",
        };
        var photoCachedWorkload = photoWorkload with
        {
            Key = Workload.PhotosCached,
            Title = $"(a, cached) {photos.Length} JPEG photos, later epochs: cached decode + resize + crop, then rotate, flip, normalize",
        };
        Workload Fashion(int count) => new(Workload.Fashion, "(b) Fashion-MNIST PNG, decode + normalize",
            WriteList(options.Work, $"fashion-{count}.txt", Enumerable.Range(0, count).Select(i => Path.Combine(fashionFolder, FashionMnistPngs.FileName(i)))),
            count, options.FashionPasses, Math.Min(count, 500));
        var fashion = Fashion(options.FashionCount);
        var memoryWorkloads = options.MemoryCounts.Where(c => c != options.FashionCount).Distinct().Select(Fashion).ToArray();

        var implementations = new List<Implementation> { Implementation.Maas };
        if (options.Peers)
        {
            foreach (var torchvision in new[] { false, true })
            {
                if (await Implementation.FindPeerAsync(torchvision) is { } peer)
                {
                    implementations.Add(peer);
                }
            }
        }

        var workerCounts = new[] { 1, Environment.ProcessorCount }.Distinct().ToArray();
        var opencv = implementations.FirstOrDefault(i => i.Key == "opencv");
        var results = new List<Measurement>();
        for (var run = 1; run <= options.Repeat; run++)
        {
            Log($"run {run} of {options.Repeat}");
            foreach (var workload in new[] { photoWorkload, photoDraftWorkload, photoCachedWorkload, fashion })
            {
                foreach (var workers in workerCounts)
                {
                    // Back to back, so that the machine's load drifts over all implementations alike.
                    foreach (var implementation in implementations)
                    {
                        results.Add(await MeasureAsync(implementation, workload, workers));
                    }
                }
            }

            // Memory against the number of images: the smaller counts, on all cores, Maas and OpenCV.
            foreach (var workload in memoryWorkloads)
            {
                foreach (var implementation in implementations.Where(i => i.IsMaas || i == opencv))
                {
                    results.Add(await MeasureAsync(implementation, workload, workerCounts[^1]));
                }
            }
        }

        var tables = new ResultTables(options, implementations, workerCounts, results);
        Console.WriteLine(tables.Markdown());
        var json = Path.Combine(options.Work, "results.json");
        await File.WriteAllTextAsync(json, tables.Json());
        Log($"written to {json}");
        return 0;
    }

    private static async Task<Measurement> MeasureAsync(Implementation implementation, Workload workload, int workers)
    {
        var report = await implementation.MeasureAsync(workload, workers);
        if (report.Images != workload.Images)
        {
            throw new InvalidOperationException($"{implementation.Name} processed {report.Images} images, expected {workload.Images}.");
        }

        Log($"  {workload.Key} x{workload.Files:N0}, {implementation.Name}, {workers} worker(s): {report.Images:N0} images in {report.Seconds:F2} s " +
            $"= {report.ImagesPerSecond:N0} images/s ({report.ImagesPerCpuSecond:N0} per CPU s), peak RSS {report.PeakRssBytes / (double)(1 << 20):N0} MiB, shape {string.Join('x', report.Shape)}");
        return new Measurement(workload.Title, workload.Files, implementation.Name, workers, report);
    }

    private static string WriteList(string work, string name, IEnumerable<string> paths)
    {
        var path = Path.Combine(work, name);
        File.WriteAllLines(path, paths);
        return path;
    }

    private static void Log(string message) => Console.Error.WriteLine(message);
}
