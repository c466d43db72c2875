using System.CommandLine;
using System.Globalization;
using Maas.Core;
using Maas.Core.Errors;
using Maas.Workflows.Datasets;
using Spectre.Console;

namespace Maas.Cli.Commands;

/// <summary><c>maas dataset rm NAME@V [--force]</c>: remove a version and the images only it referred to.</summary>
internal static class DatasetRemoveCommand
{
    public static Command Create()
    {
        var reference = new Argument<string>("dataset") { Description = "NAME@VERSION of the version to remove; the number is required." };
        var force = new Option<bool>("--force") { Description = "Remove it even when registered model versions were trained on it." };
        var command = new Command("rm", "Remove a dataset version and the images only it used; refused while a model version was trained on it, unless --force.")
        {
            reference, force,
        };
        command.Aliases.Add("remove");
        command.SetAction(CliContext.Action(async (parse, ct) =>
        {
            using var stores = CliContext.OpenStores();
            var removal = await new RemoveDataset(stores).RunAsync(
                new RemoveDatasetRequest(VersionedName.Parse(parse.GetValue(reference)!, "dataset"), parse.GetValue(force)), ct);
            if (parse.GetValue(CliContext.Json))
            {
                CliContext.WriteJson(removal);
                return ExitCodes.Success;
            }

            AnsiConsole.MarkupLine(string.Create(CultureInfo.InvariantCulture,
                $"Removed [bold]{Markup.Escape(removal.Dataset)}[/] ({removal.SampleCount:N0} samples{(removal.DatasetRemoved ? ", its last version" : "")}): " +
                $"{removal.BlobsDeleted:N0} image(s) deleted, {removal.BlobsKept:N0} kept for other versions, {removal.BytesReclaimed / 1048576.0:N1} MiB freed."));
            if (removal.ReferencingModels.Count > 0)
            {
                AnsiConsole.MarkupLine($"[yellow]model version(s) {Markup.Escape(string.Join(", ", removal.ReferencingModels))} were trained on it and can no longer be retrained from it.[/]");
            }

            return ExitCodes.Success;
        }));
        return command;
    }
}
