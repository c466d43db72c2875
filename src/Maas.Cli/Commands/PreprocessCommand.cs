using System.CommandLine;
using System.Globalization;
using Maas.Core;
using Maas.Core.Datasets;
using Maas.Core.Errors;
using Maas.Core.Pipelines;
using Maas.Datasets.Preprocessing;
using Maas.Imaging;
using Spectre.Console;

namespace Maas.Cli.Commands;

/// <summary><c>maas preprocess</c>: materialize a pipeline's deterministic prefix into the shard cache, or preview a pipeline.</summary>
internal static class PreprocessCommand
{
    public static Command Create()
    {
        var reference = new Argument<string>("dataset") { Description = "The dataset version, e.g. fashion@1 (the latest when no version is given)." };
        var pipeline = new Option<string>("--pipeline") { Description = "The pipeline spec (JSON or YAML).", Required = true };
        var force = new Option<bool>("--force") { Description = "Rebuild the cache even when one for this version and pipeline exists." };
        var command = new Command("preprocess",
            "Decode and run a pipeline's deterministic prefix over a dataset version once, into the shard cache that training reads.")
        {
            reference, pipeline, force,
        };
        command.Subcommands.Add(Preview());
        command.SetAction(CliContext.Action(async (parse, ct) =>
        {
            var json = parse.GetValue(CliContext.Json);
            var spec = PipelineSpec.Load(parse.GetValue(pipeline)!);
            using var stores = CliContext.OpenStores();
            var version = await stores.Datasets.GetVersionAsync(VersionedName.Parse(parse.GetValue(reference)!, "dataset"), ct);
            var samples = await stores.Datasets.GetSamplesAsync(version.Name, version.Version, ct);
            using var shards = await ProgressDisplay.RunAsync(json, (report, token) =>
                new ShardCache(stores.Home.PreprocessedCachePath).OpenOrBuildAsync(version, samples, new PipelineExecutor(spec), stores.Blobs,
                    parse.GetValue(force), new InlineProgress<int>(n => report("preprocessing", n, samples.Count)), token), ct);
            var m = shards.Manifest;
            if (json)
            {
                CliContext.WriteJson(new
                {
                    dataset = version.Reference, folder = shards.Folder, reused = shards.Reused, samples = m.SampleCount, shards = m.ShardCount,
                    bytes = m.Bytes, build_seconds = m.BuildSeconds, prefix_ops = spec.DeterministicPrefixLength, ops = spec.Ops.Count,
                });
            }
            else
            {
                AnsiConsole.MarkupLine(string.Create(CultureInfo.InvariantCulture,
                    $"{(shards.Reused ? "Reused" : "Built")} the cache of [bold]{Markup.Escape(version.Reference)}[/] through the first {spec.DeterministicPrefixLength} of {spec.Ops.Count} ops: " +
                    $"{m.SampleCount:N0} images, {m.Bytes / 1048576.0:N1} MiB in {m.ShardCount} shard(s) (built in {m.BuildSeconds:N1} s)."));
                AnsiConsole.MarkupLine($"[grey]{Markup.Escape(shards.Folder)}[/]");
            }

            return ExitCodes.Success;
        }));
        return command;
    }

    private static Command Preview()
    {
        var reference = new Argument<string>("dataset") { Description = "The dataset version, e.g. fashion@1." };
        var pipeline = new Option<string>("--pipeline") { Description = "The pipeline spec (JSON or YAML).", Required = true };
        var output = new Option<string>("--out") { Description = "Where to write the PNG contact sheet.", Required = true };
        var count = new Option<int>("--samples") { Description = "Rows: training images to show.", DefaultValueFactory = _ => 8 };
        var variants = new Option<int>("--variants") { Description = "Columns after the evaluation view: one augmentation per epoch.", DefaultValueFactory = _ => 6 };
        var seed = new Option<long>("--seed") { Description = "The run seed the augmentations use, and which images are picked.", DefaultValueFactory = _ => 42 };
        var command = new Command("preview", "Render a contact sheet: per image, the serving view, then training augmentations.")
        {
            reference, pipeline, output, count, variants, seed,
        };
        command.SetAction(CliContext.Action(async (parse, ct) =>
        {
            var rows = parse.GetValue(count);
            var columns = parse.GetValue(variants);
            if (rows is < 1 or > 64)
            {
                throw new InvalidInputException($"--samples {rows}: show between 1 and 64 images.");
            }

            if (columns is < 0 or > 32)
            {
                throw new InvalidInputException($"--variants {columns}: show between 0 and 32 augmentations.");
            }

            var spec = PipelineSpec.Load(parse.GetValue(pipeline)!);
            if (spec.HasAutoNormalization)
            {
                // The sheet undoes the normalization to show pixels, so any fixed statistics look the same.
                spec = spec.ResolveNormalization([0.5f], [0.5f]);
            }

            var executor = new PipelineExecutor(spec);
            using var stores = CliContext.OpenStores();
            var version = await stores.Datasets.GetVersionAsync(VersionedName.Parse(parse.GetValue(reference)!, "dataset"), ct);
            var samples = (await stores.Datasets.GetSamplesAsync(version.Name, version.Version, ct)).Where(s => s.Split == Split.Train).ToList();
            if (samples.Count == 0)
            {
                throw new InvalidInputException($"dataset {version.Reference} has no training images to preview.");
            }

            var picked = samples.OrderBy(s => Datasets.StratifiedSplit.Key((int)parse.GetValue(seed), s.SampleId)).Take(rows).ToList();
            var images = new List<(byte[], string)>();
            foreach (var sample in picked)
            {
                images.Add((await stores.Blobs.GetAsync(sample.BlobHash, ct), sample.SampleId));
            }

            var png = PipelinePreview.RenderPng(executor, images, columns, (ulong)parse.GetValue(seed));
            var path = Path.GetFullPath(parse.GetValue(output)!);
            await AtomicFile.WriteAllBytesAsync(path, png, ct);
            if (parse.GetValue(CliContext.Json))
            {
                CliContext.WriteJson(new { path, samples = picked.Select(s => s.SampleId), variants = columns });
            }
            else
            {
                AnsiConsole.MarkupLine($"Wrote [bold]{Markup.Escape(path)}[/]: {picked.Count} image(s), the serving view then {columns} training augmentation(s) each.");
            }

            return ExitCodes.Success;
        }));
        return command;
    }
}
