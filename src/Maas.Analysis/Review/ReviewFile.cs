using System.Globalization;
using System.Text;
using System.Text.Json;
using Maas.Analysis.Reports;
using Maas.Core;
using Maas.Core.Errors;

namespace Maas.Analysis.Review;

/// <summary>
/// The review CSV (RFC 4180: comma separated, fields with commas, quotes or line breaks quoted, quotes doubled):
/// a header line, then one row per flagged sample and issue. People edit the <c>action</c> column in a spreadsheet.
/// </summary>
public static class ReviewFile
{
    private static readonly string[] s_header = ["dataset", "sample_id", "path", "split", "label", "issue", "score", "action", "detail"];

    /// <summary>The rows of <paramref name="report"/>: every listed issue, in the report's order.</summary>
    public static IReadOnlyList<ReviewRow> RowsOf(AnalysisReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        return report.Anomalies.Issues.Select(i => new ReviewRow(report.Dataset, i.SampleId, i.Path, i.Split, i.Label,
            JsonNamingPolicy.SnakeCaseLower.ConvertName(i.Issue.ToString()), i.Score, i.Action, i.Detail ?? "")).ToArray();
    }

    /// <summary>Writes <paramref name="rows"/> to <paramref name="path"/> atomically.</summary>
    public static Task WriteAsync(string path, IEnumerable<ReviewRow> rows, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var text = new StringBuilder();
        text.AppendJoin(',', s_header).Append('\n');
        foreach (var r in rows)
        {
            text.AppendJoin(',', new[] { r.Dataset, r.SampleId, r.Path, r.Split, r.Label, r.Issue, r.Score.ToString("R", CultureInfo.InvariantCulture), r.Action, r.Detail }
                .Select(Quote)).Append('\n');
        }

        return AtomicFile.WriteAllTextAsync(path, text.ToString(), cancellationToken);
    }

    /// <summary>Reads a review file.</summary>
    /// <exception cref="NotFoundException">No such file.</exception>
    /// <exception cref="InvalidInputException">It is not a review file, or a row is malformed (the line is named).</exception>
    public static async Task<IReadOnlyList<ReviewRow>> ReadAsync(string path, CancellationToken cancellationToken)
    {
        if (!File.Exists(path))
        {
            throw new NotFoundException($"{path}: no such review file.");
        }

        var records = Parse(await File.ReadAllTextAsync(path, cancellationToken));
        if (records.Count == 0 || !records[0].Fields.Select(f => f.Trim()).SequenceEqual(s_header))
        {
            throw new InvalidInputException($"{path}: not a review file; its first line must be '{string.Join(',', s_header)}'.");
        }

        var rows = new List<ReviewRow>();
        foreach (var (line, fields) in records.Skip(1))
        {
            if (fields.Length == 1 && fields[0].Length == 0)
            {
                continue;
            }

            if (fields.Length != s_header.Length)
            {
                throw new InvalidInputException($"{path}:{line}: {fields.Length} fields, expected {s_header.Length}.");
            }

            if (!double.TryParse(fields[6], NumberStyles.Float, CultureInfo.InvariantCulture, out var score))
            {
                score = double.NaN;
            }

            rows.Add(new ReviewRow(fields[0], fields[1], fields[2], fields[3], fields[4], fields[5], score, fields[7].Trim(), fields[8]));
        }

        return rows;
    }

    private static string Quote(string field) =>
        field.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + field.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : field;

    /// <summary>Splits CSV text into records of fields, each with the line it starts on.</summary>
    private static List<(int Line, string[] Fields)> Parse(string text)
    {
        var records = new List<(int, string[])>();
        var fields = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        int line = 1, start = 1;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    line += c == '\n' ? 1 : 0;
                    field.Append(c);
                }

                continue;
            }

            switch (c)
            {
                case '"':
                    quoted = true;
                    break;
                case ',':
                    fields.Add(field.ToString());
                    field.Clear();
                    break;
                case '\r':
                    break;
                case '\n':
                    fields.Add(field.ToString());
                    field.Clear();
                    records.Add((start, fields.ToArray()));
                    fields.Clear();
                    line++;
                    start = line;
                    break;
                default:
                    field.Append(c);
                    break;
            }
        }

        if (field.Length > 0 || fields.Count > 0)
        {
            fields.Add(field.ToString());
            records.Add((start, fields.ToArray()));
        }

        return records;
    }
}
