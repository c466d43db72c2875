using System.CommandLine;
using System.Globalization;
using Maas.Core.Errors;
using Maas.Core.Security;
using Spectre.Console;

namespace Maas.Cli.Commands;

/// <summary><c>maas keys create|list|revoke</c>: API keys for the server.</summary>
internal static class KeysCommands
{
    public static Command Create()
    {
        var command = new Command("keys", "Create, list and revoke the API keys the server accepts.");
        command.Subcommands.Add(New());
        command.Subcommands.Add(List());
        command.Subcommands.Add(Revoke());
        return command;
    }

    private static Command New()
    {
        var scope = new Option<string>("--scope") { Description = "manage (deployments, aliases and prediction) or predict (prediction only).", Required = true };
        scope.AcceptOnlyFromAmong("manage", "predict");
        var name = new Option<string>("--name") { Description = "A label for people, e.g. who holds it.", DefaultValueFactory = _ => "" };
        var command = new Command("create", "Create an API key and print it; it is shown this once and stored only as a hash.") { scope, name };
        command.SetAction(CliContext.Action(async (parse, ct) =>
        {
            using var stores = CliContext.OpenStores();
            var (key, secret) = await stores.Keys.CreateAsync(parse.GetValue(name)!,
                parse.GetValue(scope) == "manage" ? ApiKeyScope.Manage : ApiKeyScope.Predict, ct);
            if (parse.GetValue(CliContext.Json))
            {
                CliContext.WriteJson(new { key.Id, key.Name, key.Scope, key.CreatedAt, Key = secret });
                return ExitCodes.Success;
            }

            AnsiConsole.MarkupLine($"Created {key.Scope.ToString().ToLowerInvariant()} key [bold]{key.Id}[/]. Keep it now; it cannot be shown again:");
            // Plain and unwrapped: it is meant to be copied whole.
            Console.Out.WriteLine(secret);
            return ExitCodes.Success;
        }));
        return command;
    }

    private static Command List()
    {
        var command = new Command("list", "List API keys (ids, names, scopes; never the secrets).");
        command.SetAction(CliContext.Action(async (parse, ct) =>
        {
            using var stores = CliContext.OpenStores();
            var keys = await stores.Keys.ListAsync(ct);
            if (parse.GetValue(CliContext.Json))
            {
                CliContext.WriteJson(keys);
                return ExitCodes.Success;
            }

            var table = new Table().AddColumns("id", "name", "scope", "created", "revoked");
            foreach (var k in keys)
            {
                table.AddRow(k.Id, Markup.Escape(k.Name), k.Scope.ToString().ToLowerInvariant(), k.CreatedAt.ToString("u", CultureInfo.InvariantCulture),
                    k.RevokedAt?.ToString("u", CultureInfo.InvariantCulture) ?? "-");
            }

            AnsiConsole.Write(table);
            return ExitCodes.Success;
        }));
        return command;
    }

    private static Command Revoke()
    {
        var id = new Argument<string>("id") { Description = "The key's id, as 'maas keys list' shows it." };
        var command = new Command("revoke", "Revoke an API key; servers refuse it from the next request on.") { id };
        command.SetAction(CliContext.Action(async (parse, ct) =>
        {
            using var stores = CliContext.OpenStores();
            var key = await stores.Keys.RevokeAsync(parse.GetValue(id)!, ct);
            if (parse.GetValue(CliContext.Json))
            {
                CliContext.WriteJson(key);
                return ExitCodes.Success;
            }

            AnsiConsole.MarkupLine($"Revoked key [bold]{key.Id}[/] ({Markup.Escape(key.Name)}).");
            return ExitCodes.Success;
        }));
        return command;
    }
}
