using System.CommandLine;
using System.Globalization;
using Maas.Core.Errors;
using Maas.Workflows.Maintenance;
using Spectre.Console;

namespace Maas.Cli.Commands;

/// <summary><c>maas gc [--checkpoints] [--dry-run]</c>: reclaim what nothing in the home refers to any more.</summary>
internal static class GcCommand
{
    public static Command Create()
    {
        var checkpoints = new Option<bool>("--checkpoints") { Description = "Also delete the checkpoints of completed runs (needed only to resume a run)." };
        var dryRun = new Option<bool>("--dry-run") { Description = "Change nothing; report what would be freed." };
        var command = new Command("gc", "Reclaim unreferenced images and packs, orphan artifact folders and abandoned staging; holds the home exclusively.")
        {
            checkpoints, dryRun,
        };
        command.SetAction(CliContext.Action(async (parse, ct) =>
        {
            using var stores = CliContext.OpenStores();
            var json = parse.GetValue(CliContext.Json);
            var result = await ProgressDisplay.RunAsync(json, (report, token) => new GarbageCollection(stores).RunAsync(
                new GarbageCollectionRequest(parse.GetValue(checkpoints), parse.GetValue(dryRun)),
                new Maas.Core.InlineProgress<MaintenanceProgress>(p => report(p.Stage, p.Done, p.Total)), token), ct);
            if (json)
            {
                CliContext.WriteJson(new
                {
                    dry_run = result.DryRun,
                    blobs_deleted = result.BlobsDeleted,
                    packs_removed = result.PacksRemoved,
                    blob_bytes = result.BlobBytes,
                    orphan_artifacts = result.OrphanArtifacts,
                    orphan_artifact_bytes = result.OrphanArtifactBytes,
                    staging_pieces = result.StagingPieces,
                    staging_bytes = result.StagingBytes,
                    checkpoints = result.Checkpoints,
                    checkpoint_bytes = result.CheckpointBytes,
                    total_bytes = result.TotalBytes,
                });
                return ExitCodes.Success;
            }

            var verb = result.DryRun ? "would free" : "freed";
            var table = new Table().AddColumns("what", "count", verb);
            table.AddRow("unreferenced images", N(result.BlobsDeleted), MiB(result.BlobBytes));
            table.AddRow("packs removed", N(result.PacksRemoved), "");
            table.AddRow("orphan artifact folders", N(result.OrphanArtifacts.Count), MiB(result.OrphanArtifactBytes));
            table.AddRow("abandoned staging", N(result.StagingPieces), MiB(result.StagingBytes));
            table.AddRow("checkpoints of completed runs", N(result.Checkpoints.Count), MiB(result.CheckpointBytes));
            AnsiConsole.Write(table);
            AnsiConsole.MarkupLine($"{(result.DryRun ? "Dry run: would free" : "Freed")} [bold]{MiB(result.TotalBytes)}[/].");
            return ExitCodes.Success;
        }));
        return command;
    }

    private static string N(int count) => count.ToString("N0", CultureInfo.InvariantCulture);

    private static string MiB(long bytes) => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1048576.0:N1} MiB");
}
