namespace Maas.Core.Models;

/// <summary>Aliases Maas itself moves.</summary>
public static class WellKnownAliases
{
    /// <summary>The version serving production traffic; <c>maas train --register</c> moves it to the new version.</summary>
    public const string Production = "production";
}
