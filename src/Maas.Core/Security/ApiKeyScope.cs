namespace Maas.Core.Security;

/// <summary>What an API key allows.</summary>
public enum ApiKeyScope
{
    /// <summary>Prediction and model metadata only.</summary>
    Predict,

    /// <summary>Everything: deployments, aliases, and prediction too.</summary>
    Manage,
}
