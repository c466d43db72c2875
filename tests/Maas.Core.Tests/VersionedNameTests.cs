using Maas.Core.Errors;

namespace Maas.Core.Tests;

public class VersionedNameTests
{
    [Theory]
    [InlineData("fashion", "fashion", null, null)]
    [InlineData("fashion@3", "fashion", 3, null)]
    [InlineData("fashion-cnn@production", "fashion-cnn", null, "production")]
    public void Parse_ValidReference_SplitsNameAndSelector(string text, string name, int? version, string? alias)
    {
        var parsed = VersionedName.Parse(text);

        Assert.Equal(new VersionedName(name, version, alias), parsed);
        Assert.Equal(text, parsed.ToString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("Fashion")]
    [InlineData("fashion@")]
    [InlineData("fashion@0")]
    [InlineData("fashion@-1")]
    [InlineData("../etc@1")]
    [InlineData("a b")]
    public void Parse_InvalidReference_ThrowsInvalidInputNamingIt(string text)
    {
        var error = Assert.ThrowsAny<InvalidInputException>(() => VersionedName.Parse(text, "model"));

        Assert.Contains("model", error.Message, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.InvalidInput, error.ExitCode);
    }
}
