using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Maas.Core.Pipelines;
using Maas.Imaging;

namespace Maas.PipelineThroughput;

/// <summary>
/// The Maas child: <c>measure WORKLOAD LIST_FILE PASSES WORKERS WARMUP</c>, the same arguments the Python peers take.
/// Reads every file into memory, warms up, then times WORKERS threads sharing the images and prints a <see cref="ChildReport"/>.
/// </summary>
internal static class MaasMeasurement
{
    // Images a worker takes from the shared counter at a time; the peers take the same. Photos one by one, so the
    // last ones spread over the workers; Fashion-MNIST's 30-microsecond images in chunks, so the counter costs nothing.
    private const int PhotoChunk = 1;
    private const int FashionChunk = 64;

    private static readonly TimeSpan s_warmupTime = TimeSpan.FromSeconds(2);

    public static int Run(string[] args)
    {
        if (args is not [var workload, var listFile, var passesText, var workersText, var warmupText])
        {
            Console.Error.WriteLine("usage: measure photos|photos-draft|photos-cached|fashion LIST_FILE PASSES WORKERS WARMUP");
            return 2;
        }

        var (passes, workers, warmup) = (Number(passesText), Number(workersText), Number(warmupText));
        var executor = new PipelineExecutor(WorkloadPipelines.For(workload));
        var training = WorkloadPipelines.IsTraining(workload);
        var chunk = Workload.IsPhotos(workload) ? PhotoChunk : FashionChunk;

        // Not timed: the file bytes, their names and their sample keys, as a data loader would hold them.
        var paths = File.ReadAllLines(listFile).Where(p => p.Length > 0).ToArray();
        var files = paths.Select(File.ReadAllBytes).ToArray();
        var names = paths.Select(p => Path.GetFileName(p)).ToArray();
        var keys = names.Select(SampleContext.KeyOf).ToArray();
        var total = files.Length * passes;

        // Not timed either for the cached workload: each file's deterministic prefix, computed once, as the shard cache
        // holds it for training.
        var prefixes = workload == Workload.PhotosCached
            ? files.Select((bytes, i) => executor.RunPrefix(bytes, names[i])).ToArray()
            : null;

        // Image i is file i mod n in epoch i / n: each pass over the files is a fresh epoch, so the augmentation differs.
        void Transform(int i, float[] tensor)
        {
            var file = i % files.Length;
            if (prefixes is not null)
            {
                var prefix = prefixes[file];
                executor.RunFromPrefix(prefix.Pixels, prefix.Width, prefix.Height, prefix.Channels, tensor,
                    SampleContext.Training(WorkloadPipelines.Seed, keys[file], i / files.Length));
            }
            else if (training)
            {
                executor.Run(files[file], tensor, names[file], SampleContext.Training(WorkloadPipelines.Seed, keys[file], i / files.Length));
            }
            else
            {
                executor.Run(files[file], tensor, names[file]);
            }
        }

        // Warm-up on this thread, with epochs no timed image uses, until tiered compilation has reached its optimized
        // code, as it has in a long training run: at least WARMUP images and at least two seconds. A count alone is not
        // enough: the runtime starts counting calls only 100 ms after the last new method was compiled, and compiles
        // the optimized code in the background, so 500 Fashion-MNIST images (4 ms) left the first part of the timed
        // run in unoptimized code.
        var warmTensor = new float[executor.Shape.Length];
        var warming = Stopwatch.StartNew();
        for (var i = 0; i < warmup || warming.Elapsed < s_warmupTime; i++)
        {
            Transform(total + i, warmTensor);
        }

        var next = 0;
        var done = 0;
        using var self = Process.GetCurrentProcess();
        var cpu = self.TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        var threads = Enumerable.Range(0, workers).Select(_ => new Thread(() =>
        {
            // One output buffer per worker, reused: the tensor is written in full and then dropped, as the peers drop theirs.
            var tensor = new float[executor.Shape.Length];
            var mine = 0;
            for (var start = Interlocked.Add(ref next, chunk) - chunk; start < total; start = Interlocked.Add(ref next, chunk) - chunk)
            {
                for (var i = start; i < Math.Min(start + chunk, total); i++)
                {
                    Transform(i, tensor);
                    mine++;
                }
            }

            Interlocked.Add(ref done, mine);
        })).ToArray();
        foreach (var thread in threads)
        {
            thread.Start();
        }

        foreach (var thread in threads)
        {
            thread.Join();
        }

        var seconds = clock.Elapsed.TotalSeconds;
        self.Refresh();
        var cpuSeconds = (self.TotalProcessorTime - cpu).TotalSeconds;
        if (done != total)
        {
            throw new InvalidOperationException($"processed {done} images, expected {total}.");
        }

        var shape = executor.Shape;
        var report = new ChildReport(done, seconds, cpuSeconds, PeakMemory.PeakRssBytes(), files.Sum(f => (long)f.Length),
            [shape.Channels, shape.Height, shape.Width]);
        Console.WriteLine(JsonSerializer.Serialize(report, ChildReport.Json));
        return 0;
    }

    private static int Number(string text) => int.Parse(text, NumberStyles.None, CultureInfo.InvariantCulture);
}
