using System.Text;

namespace Maas.Server.Metrics;

/// <summary>The label syntax of the Prometheus text exposition format.</summary>
internal static class PrometheusText
{
    /// <summary><c>{name="value",...}</c> with values escaped, or the empty string when there are no labels.</summary>
    public static string Labels(string[] names, string[] values)
    {
        if (names.Length != values.Length)
        {
            throw new ArgumentException($"{names.Length} label names but {values.Length} values.", nameof(values));
        }

        if (names.Length == 0)
        {
            return "";
        }

        var text = new StringBuilder("{");
        for (var i = 0; i < names.Length; i++)
        {
            text.Append(i == 0 ? "" : ",").Append(names[i]).Append("=\"")
                .Append(values[i].Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal))
                .Append('"');
        }

        return text.Append('}').ToString();
    }
}
