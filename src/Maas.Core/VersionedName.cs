using System.Globalization;
using System.Text.RegularExpressions;
using Maas.Core.Errors;

namespace Maas.Core;

/// <summary>
/// A reference such as <c>fashion@3</c>, <c>fashion-cnn@production</c> or plain <c>fashion</c>: a name and an
/// optional selector that is either a version number or an alias.
/// </summary>
/// <param name="Name">The dataset or model name.</param>
/// <param name="Version">The version number, when the selector is a number.</param>
/// <param name="Alias">The alias, when the selector is a name.</param>
public sealed partial record VersionedName(string Name, int? Version, string? Alias)
{
    /// <summary>Parses <paramref name="text"/>; <paramref name="what"/> names the input in the error message.</summary>
    /// <exception cref="InvalidInputException">The text is not a valid reference.</exception>
    public static VersionedName Parse(string text, string what = "reference")
    {
        ArgumentNullException.ThrowIfNull(text);
        var at = text.IndexOf('@', StringComparison.Ordinal);
        var name = at < 0 ? text : text[..at];
        ValidateName(name, what);
        if (at < 0)
        {
            return new VersionedName(name, null, null);
        }

        var selector = text[(at + 1)..];
        if (int.TryParse(selector, NumberStyles.None, CultureInfo.InvariantCulture, out var version) && version > 0)
        {
            return new VersionedName(name, version, null);
        }

        if (!NamePattern().IsMatch(selector) || char.IsDigit(selector[0]))
        {
            throw new InvalidInputException(
                $"{what} '{text}': '{selector}' after '@' is neither a version number (1, 2, ...) nor an alias name.");
        }

        return new VersionedName(name, null, selector);
    }

    /// <summary>Checks that <paramref name="name"/> is a valid dataset or model name.</summary>
    /// <exception cref="InvalidInputException">It is not.</exception>
    public static void ValidateName(string name, string what = "name")
    {
        if (string.IsNullOrEmpty(name) || !NamePattern().IsMatch(name))
        {
            throw new InvalidInputException(
                $"{what} '{name}' is not a valid name: use 1-64 lowercase letters, digits, '.', '_' or '-', starting with a letter or digit.");
        }
    }

    /// <inheritdoc />
    public override string ToString() =>
        Version is { } v ? $"{Name}@{v.ToString(CultureInfo.InvariantCulture)}" : Alias is { } a ? $"{Name}@{a}" : Name;

    [GeneratedRegex("^[a-z0-9][a-z0-9._-]{0,63}$")]
    private static partial Regex NamePattern();
}
