namespace Maas.Core.Datasets;

/// <summary>The partition of a dataset version a sample belongs to.</summary>
public enum Split
{
    /// <summary>Samples the model learns from.</summary>
    Train,

    /// <summary>Samples used to choose hyperparameters and stop early.</summary>
    Validation,

    /// <summary>Samples held out for the final evaluation.</summary>
    Test,
}
