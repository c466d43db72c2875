using Maas.Core.Errors;
using Maas.Core.Security;
using Maas.Server.Hosting;
using Maas.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Maas.Server.Security;

/// <summary>
/// Bearer API keys on routes: <c>Authorization: Bearer maas_...</c>, verified against the key store on every
/// request (so a revoked key stops working at once). Errors are thrown, so /v1 answers problem+json and /v2
/// answers <c>{"error"}</c> through the same error mapping as everything else.
/// </summary>
public static class ApiKeyAuthorization
{
    private const string KeyItem = "maas.api-key";

    /// <summary>Requires a key allowing <paramref name="scope"/>; prediction scope only when the server is configured to.</summary>
    public static TBuilder RequireApiKey<TBuilder>(this TBuilder builder, ApiKeyScope scope) where TBuilder : IEndpointConventionBuilder
    {
        builder.AddEndpointFilter(async (context, next) =>
        {
            var http = context.HttpContext;
            var options = http.RequestServices.GetRequiredService<MaasServerOptions>();
            if (scope == ApiKeyScope.Manage || options.RequirePredictKey)
            {
                await AuthorizeAsync(http, scope);
            }

            return await next(context);
        });
        return builder;
    }

    /// <summary>The verified key of this request, or null when the route needed none.</summary>
    public static ApiKey? Key(this HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.Items.TryGetValue(KeyItem, out var key) ? key as ApiKey : null;
    }

    private static async Task AuthorizeAsync(HttpContext context, ApiKeyScope scope)
    {
        var header = context.Request.Headers.Authorization.ToString();
        const string Bearer = "Bearer ";
        if (!header.StartsWith(Bearer, StringComparison.OrdinalIgnoreCase))
        {
            throw new UnauthorizedException($"this endpoint needs an API key with the {Name(scope)} scope: send 'Authorization: Bearer <key>' (create one with 'maas keys create --scope {Name(scope)}').");
        }

        var stores = context.RequestServices.GetRequiredService<MaasStores>();
        var key = await stores.Keys.VerifyAsync(header[Bearer.Length..].Trim(), context.RequestAborted)
            ?? throw new UnauthorizedException("the API key is unknown or revoked.");
        if (!key.Allows(scope))
        {
            throw new ForbiddenException($"API key '{key.Id}' has the {Name(key.Scope)} scope; this endpoint needs {Name(scope)}.");
        }

        context.Items[KeyItem] = key;
    }

    private static string Name(ApiKeyScope scope) => scope == ApiKeyScope.Manage ? "manage" : "predict";
}
