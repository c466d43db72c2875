namespace Maas.Workflows.Models;

/// <summary>What an external classifier's output holds.</summary>
public enum ClassifierOutputs
{
    /// <summary>Unnormalized scores; a softmax is appended so that it serves probabilities.</summary>
    Logits,

    /// <summary>Probabilities already: non-negative, each row summing to 1.</summary>
    Probabilities,
}
