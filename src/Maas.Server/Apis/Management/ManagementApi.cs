using Maas.Core;
using Maas.Core.Errors;
using Maas.Core.Models;
using Maas.Core.Security;
using Maas.Inference;
using Maas.Server.Deployments;
using Maas.Server.Hosting;
using Maas.Server.Security;
using Maas.Storage;
using Maas.Workflows.Models;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Maas.Server.Apis.Management;

/// <summary>Deployments and aliases over HTTP; every route needs an API key with the manage scope.</summary>
public static class ManagementApi
{
    /// <summary>Maps <c>/v1/deployments</c>, <c>/v1/deployments/{model}/scale</c> and <c>/v1/models/{model}/aliases/{alias}</c>.</summary>
    public static IEndpointRouteBuilder MapManagementApi(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/v1/deployments", List)
            .WithName("ListDeployments").WithSummary("What is loaded: model, version, alias followed, ready.").RequireApiKey(ApiKeyScope.Manage);
        routes.MapPost("/v1/deployments", DeployAsync)
            .WithName("Deploy").WithSummary("Loads and warms up a model version or alias (and an optional canary version with a share of the traffic), with optional batching overrides, then serves it for the model's name.")
            .RequireApiKey(ApiKeyScope.Manage);
        routes.MapPost("/v1/deployments/{model}/scale", ScaleAsync)
            .WithName("Scale").WithSummary("Serves a deployment with a number of ONNX Runtime sessions, each batching from the shared queue; batches in flight finish on the old sessions.")
            .RequireApiKey(ApiKeyScope.Manage);
        routes.MapDelete("/v1/deployments/{model}", Undeploy)
            .WithName("Undeploy").WithSummary("Stops serving a model; its sessions close when their requests end.").RequireApiKey(ApiKeyScope.Manage);
        routes.MapPost("/v1/models/{model}/aliases/{alias}", MoveAliasAsync)
            .WithName("MoveAlias").WithSummary("Points an alias at a version (recorded with the key's id) and hot-swaps what the server serves for it.")
            .RequireApiKey(ApiKeyScope.Manage);
        return routes;
    }

    /// <summary>Every deployment.</summary>
    public static Ok<IReadOnlyList<Deployment>> List(ModelCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return TypedResults.Ok(catalog.Deployments);
    }

    /// <summary>Deploys what the body names; answers once it is warmed up and ready.</summary>
    public static async Task<Created<Deployment>> DeployAsync(DeployRequest request, ModelCatalog catalog, MaasServerOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(options);
        var selector = VersionedName.Parse(request.Model ?? "", "model");
        if (request.Version is { } version)
        {
            selector = selector.Version is null && selector.Alias is null
                ? selector with { Version = version }
                : throw new InvalidInputException($"deploy: give the version either in 'model' ('{request.Model}') or in 'version', not both.");
        }

        var defaults = options.Batching ?? BatchingOptions.Default;
        var batching = new BatchingOptions(request.MaxBatchSize ?? defaults.MaxBatchSize, request.MaxQueueDelayMs ?? defaults.MaxQueueDelayMs,
            request.QueueCapacity ?? defaults.QueueCapacity, request.RequestTimeoutMs ?? defaults.RequestTimeoutMs, request.Instances ?? defaults.Instances);
        var deployment = await catalog.DeployAsync(selector, batching, request.Canary, cancellationToken);
        return TypedResults.Created($"/v1/deployments/{deployment.Model}", deployment);
    }

    /// <summary>Changes how many ONNX Runtime sessions serve a deployment.</summary>
    public static async Task<Ok<Deployment>> ScaleAsync(string model, ScaleRequest request, ModelCatalog catalog, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(catalog);
        return TypedResults.Ok(await catalog.ScaleAsync(model, request.Instances, cancellationToken));
    }

    /// <summary>Undeploys a model.</summary>
    public static Ok<Deployment> Undeploy(string model, ModelCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return TypedResults.Ok(catalog.Undeploy(model));
    }

    /// <summary>Moves the alias in the registry, then brings this server's deployment of the model up to date.</summary>
    public static async Task<Ok<AliasMoveResponse>> MoveAliasAsync(string model, string alias, AliasMoveRequest request, HttpContext context,
        MaasStores stores, ModelCatalog catalog, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(stores);
        ArgumentNullException.ThrowIfNull(catalog);
        var movedBy = context.Key()?.Id ?? AliasMove.Cli;
        var moved = await new MoveAlias(stores.Models).RunAsync(new MoveAliasRequest(model, alias, request.Version, request.Reason, movedBy), cancellationToken);
        var deployment = await catalog.FollowAsync(model, cancellationToken);
        return TypedResults.Ok(new AliasMoveResponse(moved, movedBy, deployment));
    }
}
