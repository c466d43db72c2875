using System.CommandLine;
using System.Globalization;
using Maas.Core;
using Maas.Core.Errors;
using Maas.Core.Models;
using Maas.Workflows.Models;
using Spectre.Console;

namespace Maas.Cli.Commands;

/// <summary><c>maas models list|show|alias|history|rm|register</c>: the model registry.</summary>
internal static class ModelsCommands
{
    private sealed record VersionView(string Model, int Version, string Reference, string? RunId, string? Dataset,
        IReadOnlyDictionary<string, double> Metrics, IReadOnlyList<string> Labels, IReadOnlyList<string> Aliases, DateTimeOffset CreatedAt, string ArtifactPath);

    public static Command Create()
    {
        var command = new Command("models", "Inspect registered model versions, move their aliases, remove versions.");
        command.Subcommands.Add(List());
        command.Subcommands.Add(Show());
        command.Subcommands.Add(Alias());
        command.Subcommands.Add(History());
        command.Subcommands.Add(Remove());
        command.Subcommands.Add(ModelsRegisterCommand.Create());
        return command;
    }

    private static async Task<List<VersionView>> ViewsAsync(Storage.MaasStores stores, CancellationToken ct)
    {
        var aliases = await stores.Models.ListAliasesAsync(ct);
        return (await stores.Models.ListVersionsAsync(ct)).Select(v => View(stores, v, aliases)).ToList();
    }

    private static VersionView View(Storage.MaasStores stores, ModelVersion v, IReadOnlyList<ModelAlias> aliases) =>
        new(v.Model, v.Version, v.Reference, v.RunId, v.Dataset, v.Metrics, v.Labels,
            aliases.Where(a => a.Model == v.Model && a.Version == v.Version).Select(a => a.Alias).ToList(), v.CreatedAt, stores.Models.ArtifactPath(v));

    private static string Metrics(IReadOnlyDictionary<string, double> metrics) =>
        string.Join(", ", metrics.OrderBy(m => m.Key, StringComparer.Ordinal).Select(m => string.Create(CultureInfo.InvariantCulture, $"{m.Key}={m.Value:0.####}")));

    private static Command List()
    {
        var command = new Command("list", "List every model version with its lineage, metrics and aliases.");
        command.SetAction(CliContext.Action(async (parse, ct) =>
        {
            using var stores = CliContext.OpenStores();
            var views = await ViewsAsync(stores, ct);
            if (parse.GetValue(CliContext.Json))
            {
                CliContext.WriteJson(views);
                return ExitCodes.Success;
            }

            var table = new Table().AddColumns("version", "aliases", "run", "dataset", "metrics", "created");
            foreach (var v in views)
            {
                table.AddRow(Markup.Escape(v.Reference), Markup.Escape(string.Join(", ", v.Aliases)), Markup.Escape(v.RunId ?? "-"),
                    Markup.Escape(v.Dataset ?? "-"), Markup.Escape(Metrics(v.Metrics)), v.CreatedAt.ToString("u", CultureInfo.InvariantCulture));
            }

            AnsiConsole.Write(table);
            return ExitCodes.Success;
        }));
        return command;
    }

    private static Command Show()
    {
        var reference = new Argument<string>("model") { Description = "NAME, NAME@VERSION or NAME@ALIAS (NAME alone means its production alias, else the latest version)." };
        var command = new Command("show", "Show one model version: lineage, metrics, labels, aliases and files.") { reference };
        command.SetAction(CliContext.Action(async (parse, ct) =>
        {
            using var stores = CliContext.OpenStores();
            var version = await stores.Models.ResolveAsync(VersionedName.Parse(parse.GetValue(reference)!, "model"), ct);
            var view = View(stores, version, await stores.Models.ListAliasesAsync(ct));
            if (parse.GetValue(CliContext.Json))
            {
                CliContext.WriteJson(view);
                return ExitCodes.Success;
            }

            var grid = new Grid().AddColumns(2);
            grid.AddRow("[bold]version[/]", Markup.Escape(view.Reference));
            grid.AddRow("aliases", Markup.Escape(view.Aliases.Count > 0 ? string.Join(", ", view.Aliases) : "-"));
            grid.AddRow("run", Markup.Escape(view.RunId ?? "-"));
            grid.AddRow("dataset", Markup.Escape(view.Dataset ?? "-"));
            grid.AddRow("metrics", Markup.Escape(Metrics(view.Metrics)));
            grid.AddRow("labels", Markup.Escape(string.Join(", ", view.Labels)));
            grid.AddRow("created", view.CreatedAt.ToString("u", CultureInfo.InvariantCulture));
            grid.AddRow("files", Markup.Escape(view.ArtifactPath));
            AnsiConsole.Write(grid);
            return ExitCodes.Success;
        }));
        return command;
    }

    private static Command Alias()
    {
        var model = new Argument<string>("model") { Description = "The model name." };
        var alias = new Argument<string>("alias") { Description = "The alias to move, e.g. production or staging." };
        var version = new Argument<int>("version") { Description = "The version number it should point at." };
        var reason = new Option<string>("--reason") { Description = "Why it moves; kept in the alias history.", Required = true };
        var command = new Command("alias", "Point an alias at a version; the move is recorded with its reason.") { model, alias, version, reason };
        command.SetAction(CliContext.Action(async (parse, ct) =>
        {
            using var stores = CliContext.OpenStores();
            var moved = await new MoveAlias(stores.Models).RunAsync(
                new MoveAliasRequest(parse.GetValue(model)!, parse.GetValue(alias)!, parse.GetValue(version), parse.GetValue(reason)!, AliasMove.Cli), ct);
            if (parse.GetValue(CliContext.Json))
            {
                CliContext.WriteJson(moved);
                return ExitCodes.Success;
            }

            AnsiConsole.MarkupLine($"[bold]{Markup.Escape(moved.Model)}@{Markup.Escape(moved.Alias)}[/] now points at version {moved.Version}.");
            return ExitCodes.Success;
        }));
        return command;
    }

    private static Command History()
    {
        var model = new Argument<string>("model") { Description = "The model name." };
        var command = new Command("history", "Every alias move of a model: from, to, when, by whom, why.") { model };
        command.SetAction(CliContext.Action(async (parse, ct) =>
        {
            using var stores = CliContext.OpenStores();
            var history = await stores.Models.GetAliasHistoryAsync(parse.GetValue(model)!, ct);
            if (parse.GetValue(CliContext.Json))
            {
                CliContext.WriteJson(history);
                return ExitCodes.Success;
            }

            var table = new Table().AddColumns("when", "alias", "from", "to", "by", "reason");
            foreach (var m in history)
            {
                table.AddRow(m.MovedAt.ToString("u", CultureInfo.InvariantCulture), Markup.Escape(m.Alias),
                    m.FromVersion?.ToString(CultureInfo.InvariantCulture) ?? "-", m.ToVersion.ToString(CultureInfo.InvariantCulture),
                    Markup.Escape(m.MovedBy), Markup.Escape(m.Reason));
            }

            AnsiConsole.Write(table);
            return ExitCodes.Success;
        }));
        return command;
    }

    private static Command Remove()
    {
        var reference = new Argument<string>("model") { Description = "NAME@VERSION of the version to remove; the number is required." };
        var command = new Command("rm", "Remove a model version and its files; refused while an alias points at it.") { reference };
        command.Aliases.Add("remove");
        command.SetAction(CliContext.Action(async (parse, ct) =>
        {
            var name = VersionedName.Parse(parse.GetValue(reference)!, "model");
            if (name.Version is not { } number)
            {
                throw new InvalidInputException($"model '{name}': name the version number to remove, e.g. {name.Name}@3.");
            }

            using var stores = CliContext.OpenStores();
            var removed = await stores.Models.RemoveVersionAsync(name.Name, number, ct);
            if (parse.GetValue(CliContext.Json))
            {
                CliContext.WriteJson(removed);
                return ExitCodes.Success;
            }

            AnsiConsole.MarkupLine($"Removed [bold]{Markup.Escape(removed.Reference)}[/] and its files.");
            return ExitCodes.Success;
        }));
        return command;
    }
}
