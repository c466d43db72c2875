using System.CommandLine;
using System.Globalization;
using Maas.Core;
using Maas.Core.Errors;
using Maas.Core.Pipelines;
using Maas.Workflows.Preprocessing;
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
            var request = new PreprocessDatasetRequest(VersionedName.Parse(parse.GetValue(reference)!, "dataset"), spec, parse.GetValue(force));
            var result = await ProgressDisplay.RunAsync(json, (report, token) => new PreprocessDataset(stores).RunAsync(request, ProgressDisplay.Stages(report), token), ct);
            var m = result.Manifest;
            if (json)
            {
                CliContext.WriteJson(new
                {
                    dataset = result.Dataset, folder = result.Folder, reused = result.Reused, samples = m.SampleCount, shards = m.ShardCount,
                    bytes = m.Bytes, build_seconds = m.BuildSeconds, prefix_ops = result.PrefixOps, ops = result.Ops,
                });
            }
            else
            {
                AnsiConsole.MarkupLine(string.Create(CultureInfo.InvariantCulture,
                    $"{(result.Reused ? "Reused" : "Built")} the cache of [bold]{Markup.Escape(result.Dataset)}[/] through the first {result.PrefixOps} of {result.Ops} ops: " +
                    $"{m.SampleCount:N0} images, {m.Bytes / 1048576.0:N1} MiB in {m.ShardCount} shard(s) (built in {m.BuildSeconds:N1} s)."));
                AnsiConsole.MarkupLine($"[grey]{Markup.Escape(result.Folder)}[/]");
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
            var request = new PreviewPipelineRequest(VersionedName.Parse(parse.GetValue(reference)!, "dataset"), PipelineSpec.Load(parse.GetValue(pipeline)!),
                parse.GetValue(output)!, parse.GetValue(count), parse.GetValue(variants), parse.GetValue(seed));
            using var stores = CliContext.OpenStores();
            var sheet = await new PreviewPipeline(stores).RunAsync(request, ct);
            if (parse.GetValue(CliContext.Json))
            {
                CliContext.WriteJson(new { path = sheet.Path, samples = sheet.Samples, variants = sheet.Variants });
            }
            else
            {
                AnsiConsole.MarkupLine($"Wrote [bold]{Markup.Escape(sheet.Path)}[/]: {sheet.Samples.Count} image(s), the serving view then {sheet.Variants} training augmentation(s) each.");
            }

            return ExitCodes.Success;
        }));
        return command;
    }
}
