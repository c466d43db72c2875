using Maas.Core;
using Maas.Core.Models;
using Maas.Storage;
using Maas.Workflows.Models;

// Usage: HOME ONNX PIPELINE LABELS. Registers the classifier as the next version of "killed" and moves its
// production alias, again and again, printing each version, until the test kills the process.
if (args.Length != 4)
{
    Console.Error.WriteLine("usage: Maas.Workflows.RegistrationHost HOME ONNX PIPELINE LABELS");
    return 2;
}

using var stores = MaasStores.Open(new MaasHome(args[0]));
var job = new RegistrationJob(stores);
var request = new RegistrationRequest("killed")
{
    Files = new ExternalModelFiles(args[1], args[2], args[3], ClassifierOutputs.Probabilities),
    Aliases = [WellKnownAliases.Production],
};
while (true)
{
    var outcome = await job.RunAsync(request, null, CancellationToken.None);
    Console.WriteLine($"registered {outcome.Version.Version}");
}
