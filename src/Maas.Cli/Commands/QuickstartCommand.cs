using System.CommandLine;
using Maas.Analysis;
using Maas.Core;
using Maas.Core.Datasets;
using Maas.Core.Errors;
using Maas.Datasets;
using Maas.Server.Hosting;
using Maas.Training;
using Maas.Workflows.Analysis;
using Maas.Workflows.Datasets;
using Maas.Workflows.Training;
using Spectre.Console;

namespace Maas.Cli.Commands;

/// <summary>
/// <c>maas quickstart</c>: the whole chain on Fashion-MNIST with a bounded budget (import, train, evaluate, export,
/// register), then serve it and print a curl command that works as printed.
/// </summary>
internal static class QuickstartCommand
{
    public const string DatasetName = "fashion";
    public const string ModelName = "fashion-cnn";
    public const string FashionMnistFolder = "/usr/share/datasets/fashion-mnist";

    private static readonly string[] s_classNames =
        ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"];

    public static Command Create()
    {
        var minutes = new Option<double>("--max-minutes") { Description = "Training budget in minutes.", DefaultValueFactory = _ => 3 };
        var epochs = new Option<int>("--epochs") { Description = "Epochs, if the budget allows.", DefaultValueFactory = _ => 4 };
        var retrain = new Option<bool>("--retrain") { Description = "Train a new version even if the model is already registered." };
        var noServe = new Option<bool>("--no-serve") { Description = "Stop after registering instead of serving." };
        var command = new Command("quickstart", "Import Fashion-MNIST, analyze it, train a small CNN, register it and serve it.")
        {
            minutes, epochs, retrain, noServe, ServeCommand.Host, ServeCommand.Port,
        };
        command.SetAction(CliContext.Action(async (parse, ct) =>
        {
            var json = parse.GetValue(CliContext.Json);
            using var stores = CliContext.OpenStores();
            if (!Directory.Exists(FashionMnistFolder))
            {
                throw new NotFoundException($"{FashionMnistFolder}: Fashion-MNIST is not installed; run ./setup.sh (it installs the Debian package dataset-fashion-mnist).");
            }

            var dataset = await EnsureDatasetAsync(stores, json, ct);
            // Descriptive statistics and image-quality checks; embeddings (ResNet-18 on every image) would take most of
            // an hour on two cores, so the quickstart leaves them to 'maas analyze'.
            await AnalyzeCommand.RunAsync(stores, new AnalyzeDatasetRequest(new VersionedName(dataset.Name, dataset.Version, null), new AnalysisOptions(Embeddings: false)), json, ct);
            var models = await stores.Models.ListVersionsAsync(ct);
            var existing = models.LastOrDefault(m => m.Model == ModelName && m.Dataset == dataset.Reference);
            if (existing is null || parse.GetValue(retrain))
            {
                var options = new TrainingOptions { Epochs = parse.GetValue(epochs), MaxDuration = TimeSpan.FromMinutes(parse.GetValue(minutes)) };
                var outcome = await TrainCommand.RunAsync(new TrainingRequest(VersionedName.Parse(dataset.Reference), options, ModelName), json, ct);
                if (!json)
                {
                    TrainCommand.WriteSummary(outcome);
                }
            }
            else if (!json)
            {
                AnsiConsole.MarkupLine($"Using [bold]{Markup.Escape(existing.Reference)}[/], already trained on {Markup.Escape(dataset.Reference)} (pass --retrain to train again).");
            }

            var sample = await WriteSampleImageAsync(stores, dataset, ct);
            var host = parse.GetValue(ServeCommand.Host)!;
            var port = parse.GetValue(ServeCommand.Port);
            var curl = $"curl -s --data-binary @{sample} http://{(host is "0.0.0.0" or "::" ? "127.0.0.1" : host)}:{port}/v1/models/{ModelName}:predict";
            if (parse.GetValue(noServe))
            {
                Console.Out.WriteLine(json ? $"{{\"curl\": \"{curl}\"}}" : $"Done. Serve with ./maas serve, then try:\n  {curl}");
                return ExitCodes.Success;
            }

            await ServeCommand.RunAsync(new MaasServerOptions(stores.Home, host, port), json,
                $"Try it (the image is a test-split ankle boot):\n  {curl}", ct);
            return ExitCodes.Success;
        }));
        return command;
    }

    private static async Task<DatasetVersion> EnsureDatasetAsync(Storage.MaasStores stores, bool json, CancellationToken cancellationToken)
    {
        var versions = await stores.Datasets.ListVersionsAsync(cancellationToken);
        var found = versions.LastOrDefault(v => v.Name == DatasetName && v.Source == FashionMnistFolder);
        if (found is not null)
        {
            if (!json)
            {
                AnsiConsole.MarkupLine($"Using [bold]{found.Reference}[/] ({found.SampleCount:N0} images, imported before).");
            }

            return found;
        }

        var request = new ImportDatasetRequest(FashionMnistFolder, DatasetName, new ImportOptions(s_classNames));
        var result = await ProgressDisplay.RunAsync(json, (report, token) => new ImportDataset(stores).RunAsync(request,
            new InlineProgress<ImportProgress>(p => report(p.Stage, p.Done, p.Total)), token), cancellationToken);
        if (!json)
        {
            AnsiConsole.MarkupLine($"Imported [bold green]{result.Version.Reference}[/]: {result.Counts.Total(Split.Train):N0} train and {result.Counts.Total(Split.Test):N0} test images.");
        }

        return result.Version;
    }

    private static async Task<string> WriteSampleImageAsync(Storage.MaasStores stores, DatasetVersion dataset, CancellationToken cancellationToken)
    {
        var samples = await stores.Datasets.GetSamplesAsync(dataset.Name, dataset.Version, cancellationToken);
        var boot = dataset.Classes.ToList().IndexOf("Ankle boot");
        var sample = samples.First(s => s.Split == Split.Test && (boot < 0 || s.Label == boot));
        var path = Path.Combine(stores.Home.Root, "quickstart", "ankle-boot.png");
        await AtomicFile.WriteAllBytesAsync(path, await stores.Blobs.GetAsync(sample.BlobHash, cancellationToken), cancellationToken);
        return path;
    }
}
