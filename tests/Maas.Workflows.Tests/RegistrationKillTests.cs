using System.Diagnostics;
using Maas.Core;
using Maas.Storage;
using Maas.Testing;
using Maas.Workflows.Models;

namespace Maas.Workflows.Tests;

/// <summary>
/// A process killed (SIGKILL) at a random point while it registers leaves either no new version or a complete one:
/// every version row's files verify, and the production alias points at a version that exists.
/// </summary>
public sealed class RegistrationKillTests : IDisposable
{
    private const int Kills = 4;
    private readonly TempFolder _temp = new();

    // The host is built beside this project (tests/Maas.Workflows.RegistrationHost/bin/<configuration>/<framework>/).
    private static string HostPath =>
        Path.Combine(AppContext.BaseDirectory.Replace("Maas.Workflows.Tests", "Maas.Workflows.RegistrationHost", StringComparison.Ordinal),
            "Maas.Workflows.RegistrationHost.dll");

    [Fact]
    public async Task KillDuringRegistration_LeavesOnlyCompleteVersions()
    {
        Assert.True(File.Exists(HostPath), $"the registration host is not built at {HostPath}");
        var home = _temp.Combine("home");
        var (onnx, pipeline, labels) = SmallClassifier.WriteFiles(_temp.Combine("external"));
        var random = new Random(7);
        for (var kill = 0; kill < Kills; kill++)
        {
            await RegisterUntilKilledAsync(home, [onnx, pipeline, labels], TimeSpan.FromMilliseconds(random.Next(0, 200)));
        }

        using var stores = MaasStores.Open(new MaasHome(home));
        var versions = await stores.Models.ListVersionsAsync(CancellationToken.None);
        Assert.NotEmpty(versions);
        Assert.Equal(Enumerable.Range(1, versions.Count), versions.Select(v => v.Version));
        foreach (var version in versions)
        {
            var bundle = ModelBundle.Open(stores.Models.ArtifactPath(version));
            bundle.Verify();
            Assert.NotNull(bundle.Manifest);
            Assert.Equal(SmallClassifier.Labels, bundle.ReadLabels());
        }

        var production = await stores.Models.ResolveAsync(VersionedName.Parse("killed@production"), CancellationToken.None);
        Assert.Contains(production.Version, versions.Select(v => v.Version));
        Assert.Equal(versions.Count, (await stores.Models.GetAliasHistoryAsync("killed", CancellationToken.None)).Count);

        // And the home still takes new versions.
        var next = await new RegistrationJob(stores).RunAsync(new RegistrationRequest("killed")
        {
            Files = new ExternalModelFiles(onnx, pipeline, labels, ClassifierOutputs.Probabilities),
        }, null, CancellationToken.None);
        Assert.Equal(versions.Count + 1, next.Version.Version);
    }

    // Starts the host, waits until it has registered at least once (so the kill lands in the loop, not in start-up),
    // lets it run for a random while longer, then kills it without warning.
    private static async Task RegisterUntilKilledAsync(string home, string[] files, TimeSpan extra)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { HostPath, home }.Concat(files))
        {
            start.ArgumentList.Add(argument);
        }

        using var host = Process.Start(start)!;
        var stderr = host.StandardError.ReadToEndAsync();
        try
        {
            // A guard against a host that hangs, not a timing assertion: a registration takes milliseconds.
            var line = await host.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromMinutes(2));
            if (line is null || !line.StartsWith("registered ", StringComparison.Ordinal))
            {
                await host.WaitForExitAsync();
                Assert.Fail($"the host stopped before registering ({line}): {await stderr}");
            }

            await Task.Delay(extra);
        }
        finally
        {
            host.Kill(entireProcessTree: true);
            await host.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(1));
        }
    }

    public void Dispose() => _temp.Dispose();
}
