using System.CommandLine;
using System.Globalization;
using Maas.Core.Errors;
using Maas.Workflows.Maintenance;
using Spectre.Console;

namespace Maas.Cli.Commands;

/// <summary><c>maas doctor</c>: check every stored object of the home and name the damaged ones (exit code 9).</summary>
internal static class DoctorCommand
{
    public static Command Create()
    {
        var command = new Command("doctor",
            "Check the home: the database, every image against its SHA-256, every pack, every sample's image, run and model files. Exits 9 naming each damaged object.");
        command.SetAction(CliContext.Action(async (parse, ct) =>
        {
            using var stores = CliContext.OpenStores();
            var json = parse.GetValue(CliContext.Json);
            var result = await ProgressDisplay.RunAsync(json, (report, token) => new HomeCheck(stores).RunAsync(
                new Maas.Core.InlineProgress<MaintenanceProgress>(p => report(p.Stage, p.Done, p.Total)), token), ct);
            if (json)
            {
                CliContext.WriteJson(new
                {
                    healthy = result.Healthy,
                    blobs_checked = result.BlobsChecked,
                    samples_checked = result.SamplesChecked,
                    artifact_files_checked = result.ArtifactFilesChecked,
                    damaged = result.Damaged,
                    reclaimable = result.Reclaimable,
                });
            }
            else
            {
                AnsiConsole.MarkupLine(string.Create(CultureInfo.InvariantCulture,
                    $"Checked {result.BlobsChecked:N0} images, {result.SamplesChecked:N0} samples and {result.ArtifactFilesChecked:N0} artifact files."));
                if (result.Healthy)
                {
                    AnsiConsole.MarkupLine("[green]The home is healthy.[/]");
                }
                else
                {
                    var table = new Table().AddColumns("damaged", "problem");
                    foreach (var damage in result.Damaged)
                    {
                        table.AddRow(Markup.Escape(damage.Object), Markup.Escape(damage.Problem));
                    }

                    AnsiConsole.Write(table);
                }

                if (result.Reclaimable.Count > 0)
                {
                    var table = new Table().AddColumns("unreferenced (not damage)", "note");
                    foreach (var item in result.Reclaimable)
                    {
                        table.AddRow(Markup.Escape(item.Object), Markup.Escape(item.Problem));
                    }

                    AnsiConsole.Write(table);
                }
            }

            if (!result.Healthy)
            {
                // Named on standard error too, so a script that reads only the exit status and stderr sees what is damaged.
                CliContext.WriteError(string.Create(CultureInfo.InvariantCulture,
                    $"{result.Damaged.Count} damaged object(s): {string.Join(", ", result.Damaged.Select(d => d.Object))}"));
            }

            return result.Healthy ? ExitCodes.Success : ExitCodes.Damaged;
        }));
        return command;
    }
}
