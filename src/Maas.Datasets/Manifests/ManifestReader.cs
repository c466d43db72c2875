using System.Globalization;
using System.Text;
using System.Text.Json;
using Maas.Core.Datasets;

namespace Maas.Datasets.Manifests;

/// <summary>
/// Reads a manifest's rows from a stream, checking each: CSV (<c>path,label[,split]</c>, RFC 4180 quoting, an
/// optional header row) or JSON Lines (objects with <c>path</c>, <c>label</c> and optional <c>split</c>). The text
/// is UTF-8, with or without a byte order mark. Bytes are read once, in order, and only the row list is kept.
/// A malformed row becomes a row with an error, never an exception, so one bad line costs only itself.
/// </summary>
internal static class ManifestReader
{
    private static readonly UTF8Encoding s_utf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
    private static readonly string[] s_pathNames = ["path", "file", "filename", "file_name", "filepath", "image", "image_path"];
    private static readonly string[] s_labelNames = ["label", "class", "class_name", "category"];
    private static readonly string[] s_splitNames = ["split", "subset"];

    /// <summary>The manifest kind a file name's extension says (<c>.csv</c>; <c>.jsonl</c>, <c>.ndjson</c>), or null.</summary>
    public static ImportFormat? FormatOf(string fileName) =>
        Path.GetExtension(fileName).ToLowerInvariant() switch
        {
            ".csv" => ImportFormat.Csv,
            ".jsonl" or ".ndjson" => ImportFormat.Jsonl,
            _ => null,
        };

    /// <summary>Reads every data row of <paramref name="stream"/>; a later row naming the same path as an earlier one is refused.</summary>
    public static List<ManifestRow> Read(Stream stream, ImportFormat format, CancellationToken cancellationToken)
    {
        var rows = format == ImportFormat.Jsonl ? ReadJsonLines(stream, cancellationToken) : ReadCsv(stream, cancellationToken);
        var firstLine = new Dictionary<string, int>(StringComparer.Ordinal);
        var result = new List<ManifestRow>();
        foreach (var row in rows)
        {
            if (row.Path is not null && row.Error is null)
            {
                if (firstLine.TryGetValue(row.Path, out var first))
                {
                    result.Add(row with { Path = null, Error = $"duplicate row: {row.Path} is already listed on line {first}" });
                    continue;
                }

                firstLine[row.Path] = row.Line;
            }

            result.Add(row);
        }

        return result;
    }

    private static IEnumerable<ManifestRow> ReadCsv(Stream stream, CancellationToken cancellationToken)
    {
        var reader = new CsvRecordReader(stream);
        (int Path, int Label, int Split, int Count)? header = null;
        var first = true;
        while (reader.TryRead(out var record))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (record.Error is not null)
            {
                first = false;
                yield return new ManifestRow(record.Line, null, "", null, record.Error);
                continue;
            }

            if (!TryDecode(record.Fields, out var fields))
            {
                first = false;
                yield return new ManifestRow(record.Line, null, "", null, "the row is not valid UTF-8 text");
                continue;
            }

            if (first)
            {
                first = false;
                header = HeaderOf(fields);
                if (header is not null)
                {
                    continue;
                }
            }

            if (header is { } h)
            {
                if (fields.Length > h.Count)
                {
                    yield return new ManifestRow(record.Line, null, "", null, $"{Fields(fields.Length)}, but the header names {h.Count}");
                    continue;
                }

                var path = h.Path < fields.Length ? fields[h.Path] : null;
                var label = h.Label < fields.Length ? fields[h.Label] : null;
                var split = h.Split >= 0 && h.Split < fields.Length ? fields[h.Split] : null;
                yield return Check(record.Line, path, label, split, $"a missing column: {Fields(fields.Length)}, but the header names {h.Count}");
            }
            else if (fields.Length > 3)
            {
                yield return new ManifestRow(record.Line, null, "", null, $"{Fields(fields.Length)}; expected path,label[,split]");
            }
            else
            {
                yield return Check(record.Line, fields[0], fields.Length > 1 ? fields[1] : null, fields.Length > 2 ? fields[2] : null,
                    $"a missing column: {Fields(fields.Length)}; expected path,label[,split]");
            }
        }
    }

    private static IEnumerable<ManifestRow> ReadJsonLines(Stream stream, CancellationToken cancellationToken)
    {
        var lines = new LineReader(stream);
        while (lines.TryRead(out var line, out var number))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (line.AsSpan().Trim(" \t\r"u8).IsEmpty)
            {
                continue;
            }

            yield return ParseJsonLine(line, number);
        }
    }

    private static ManifestRow ParseJsonLine(byte[] line, int number)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(line);
        }
        catch (JsonException e)
        {
            // The reader's message names a line and byte position within this one line; the column is what helps.
            return new ManifestRow(number, null, "", null, $"not valid JSON (at byte {e.BytePositionInLine ?? 0})");
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return new ManifestRow(number, null, "", null, $"expected a JSON object with \"path\" and \"label\", found {Describe(root.ValueKind)}");
            }

            if (!TryGetText(root, "path", allowNumber: false, out var path, out var pathError))
            {
                return new ManifestRow(number, null, "", null, pathError ?? "no \"path\" field");
            }

            var hasLabel = TryGetText(root, "label", allowNumber: true, out var label, out var labelError);
            TryGetText(root, "split", allowNumber: false, out var split, out var splitError);
            if ((labelError ?? splitError) is { } wrongType)
            {
                // The path is still checked first: a refused path matters more than a mistyped field.
                var row = Check(number, path, "?", null, "");
                return row.Error is null ? row with { Label = "", Error = wrongType } : row;
            }

            return Check(number, path, hasLabel ? label : null, split, "no \"label\" field");
        }
    }

    private static bool TryGetText(JsonElement root, string name, bool allowNumber, out string? text, out string? error)
    {
        text = null;
        error = null;
        if (!root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return false;
        }

        switch (value.ValueKind)
        {
            case JsonValueKind.String:
                text = value.GetString();
                return true;
            case JsonValueKind.Number when allowNumber:
                // Integer class ids ("label": 3) name the class "3", as IDX labels do.
                text = value.GetRawText();
                return true;
            default:
                error = $"\"{name}\" must be a string{(allowNumber ? " or a number" : "")}, not {Describe(value.ValueKind)}";
                return false;
        }
    }

    /// <summary>Checks one row's fields; <paramref name="missing"/> describes a row without a path or label.</summary>
    private static ManifestRow Check(int line, string? rawPath, string? label, string? split, string missing)
    {
        if (rawPath is null)
        {
            return new ManifestRow(line, null, "", null, missing);
        }

        if (!RelativePath.TryNormalize(rawPath, out var path, out var reason))
        {
            return new ManifestRow(line, null, "", null, $"refused path '{rawPath}': {reason} (paths are relative to the manifest's folder and stay inside it)");
        }

        if (label is null)
        {
            // A row missing a column is broken as a whole: it is named by its line, not by a path it may not mean.
            return new ManifestRow(line, null, "", null, $"{missing} (path '{rawPath}')");
        }

        label = label.Trim();
        if (label.Length == 0)
        {
            return new ManifestRow(line, path, "", null, "empty label");
        }

        Split? parsed = null;
        if (!string.IsNullOrWhiteSpace(split))
        {
            if (!SplitNames.TryParse(split.Trim(), out var value))
            {
                return new ManifestRow(line, path, label, null, $"unknown split '{split}' (expected train, val, validation or test, or nothing)");
            }

            parsed = value;
        }

        return new ManifestRow(line, path, label, parsed, null);
    }

    private static (int Path, int Label, int Split, int Count)? HeaderOf(string[] fields)
    {
        int Find(string[] names) => Array.FindIndex(fields, f => names.Contains(f.Trim().ToLowerInvariant(), StringComparer.Ordinal));
        var (path, label, split) = (Find(s_pathNames), Find(s_labelNames), Find(s_splitNames));
        return path >= 0 && label >= 0 ? (path, label, split, fields.Length) : null;
    }

    private static bool TryDecode(List<byte[]> raw, out string[] fields)
    {
        fields = new string[raw.Count];
        try
        {
            for (var i = 0; i < raw.Count; i++)
            {
                fields[i] = s_utf8.GetString(raw[i]);
            }

            return true;
        }
        catch (DecoderFallbackException)
        {
            return false;
        }
    }

    private static string Fields(int count) => count == 1 ? "1 field" : $"{count.ToString(CultureInfo.InvariantCulture)} fields";

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Array => "an array",
        JsonValueKind.Object => "an object",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        _ => "null",
    };

    /// <summary>A byte source with its own buffer that skips a leading UTF-8 byte order mark.</summary>
    private class ByteSource(Stream stream)
    {
        private readonly byte[] _buffer = new byte[1 << 16];
        private int _length;
        private int _position;
        private bool _started;

        /// <summary>The next byte, or -1 at the end.</summary>
        protected int Next()
        {
            if (_position == _length && !Fill())
            {
                return -1;
            }

            return _buffer[_position++];
        }

        /// <summary>The next byte without consuming it, or -1 at the end.</summary>
        protected int Peek()
        {
            if (_position == _length && !Fill())
            {
                return -1;
            }

            return _buffer[_position];
        }

        private bool Fill()
        {
            _length = stream.ReadAtLeast(_buffer, _started ? 1 : 3, throwOnEndOfStream: false);
            _position = 0;
            if (!_started)
            {
                _started = true;
                if (_length >= 3 && _buffer[0] == 0xEF && _buffer[1] == 0xBB && _buffer[2] == 0xBF)
                {
                    _position = 3;
                }
            }

            return _position < _length;
        }
    }

    /// <summary>Physical lines as bytes (for JSON Lines), with their 1-based numbers.</summary>
    private sealed class LineReader(Stream stream) : ByteSource(stream)
    {
        private int _line;

        public bool TryRead(out byte[] line, out int number)
        {
            var bytes = new List<byte>();
            var b = Next();
            if (b < 0)
            {
                line = [];
                number = 0;
                return false;
            }

            number = ++_line;
            while (b >= 0 && b != '\n')
            {
                bytes.Add((byte)b);
                b = Next();
            }

            line = [.. bytes];
            return true;
        }
    }

    /// <summary>One CSV record: its raw fields, the line it starts on, and an error if it is malformed.</summary>
    private readonly record struct CsvRecord(List<byte[]> Fields, int Line, string? Error);

    /// <summary>
    /// RFC 4180 records over bytes: fields separated by commas, records by CRLF, LF or CR, quoted fields with
    /// <c>""</c> for a quote and line breaks inside. Working on bytes is safe for UTF-8, whose multi-byte sequences
    /// never contain a comma, quote or line break, and lets each field be decoded (and refused) on its own.
    /// Unquoted fields are trimmed of spaces and tabs; blank lines are skipped.
    /// </summary>
    private sealed class CsvRecordReader(Stream stream) : ByteSource(stream)
    {
        private int _line = 1;

        public bool TryRead(out CsvRecord record)
        {
            while (true)
            {
                if (Peek() < 0)
                {
                    record = default;
                    return false;
                }

                record = ReadOne();
                var blank = record.Error is null && record.Fields.Count == 1 && record.Fields[0].Length == 0;
                if (!blank)
                {
                    return true;
                }
            }
        }

        private CsvRecord ReadOne()
        {
            var start = _line;
            var fields = new List<byte[]>();
            var field = new List<byte>();
            while (true)
            {
                // At the start of a field.
                var b = Next();
                if (b == '"')
                {
                    if (ReadQuoted(field) is { } error)
                    {
                        SkipLine();
                        return new CsvRecord(fields, start, error);
                    }

                    b = Next();
                    if (b is not (',' or '\r' or '\n' or -1))
                    {
                        SkipLine();
                        return new CsvRecord(fields, start, "characters after a closing quote (write a quote inside a quoted field as \"\")");
                    }
                }
                else
                {
                    while (b is not (',' or '\r' or '\n' or -1))
                    {
                        if (b == '"')
                        {
                            SkipLine();
                            return new CsvRecord(fields, start, "a quote inside an unquoted field (quote the whole field)");
                        }

                        field.Add((byte)b);
                        b = Next();
                    }

                    Trim(field);
                }

                fields.Add([.. field]);
                field.Clear();
                if (b == ',')
                {
                    continue;
                }

                EndLine(b);
                return new CsvRecord(fields, start, null);
            }
        }

        /// <summary>Reads a quoted field's content after its opening quote, up to and including the closing quote.</summary>
        private string? ReadQuoted(List<byte> field)
        {
            while (true)
            {
                var b = Next();
                switch (b)
                {
                    case -1:
                        return "a quoted field that is never closed";
                    case '"' when Peek() == '"':
                        Next();
                        field.Add((byte)'"');
                        break;
                    case '"':
                        return null;
                    case '\n':
                        _line++;
                        field.Add((byte)b);
                        break;
                    default:
                        field.Add((byte)b);
                        break;
                }
            }
        }

        private void EndLine(int b)
        {
            if (b == '\r' && Peek() == '\n')
            {
                Next();
            }

            if (b is '\r' or '\n')
            {
                _line++;
            }
        }

        private void SkipLine()
        {
            int b;
            do
            {
                b = Next();
            }
            while (b is not ('\n' or '\r' or -1));
            EndLine(b);
        }

        private static void Trim(List<byte> field)
        {
            var end = field.Count;
            while (end > 0 && field[end - 1] is (byte)' ' or (byte)'\t')
            {
                end--;
            }

            field.RemoveRange(end, field.Count - end);
            var start = 0;
            while (start < field.Count && field[start] is (byte)' ' or (byte)'\t')
            {
                start++;
            }

            field.RemoveRange(0, start);
        }
    }
}
