namespace Maas.Workflows.Tests;

/// <summary>
/// Tests that call into libtorch. Its seed and thread count are process-wide, so these run one at a time:
/// in parallel, one test's manual_seed would break another's reproducibility.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TorchCollection
{
    public const string Name = "libtorch";
}
