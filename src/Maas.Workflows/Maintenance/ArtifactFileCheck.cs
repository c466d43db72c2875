using System.Text.Json;

namespace Maas.Workflows.Maintenance;

/// <summary>
/// Checks an artifact file by its structure where no hash of it is recorded: JSON files parse, an ONNX file is a
/// protocol buffer whose fields all end within the file (a truncated one has a field running past its end).
/// </summary>
internal static class ArtifactFileCheck
{
    /// <summary>What is wrong with the file, or null.</summary>
    public static string? Problem(string path)
    {
        if (!File.Exists(path))
        {
            return "missing.";
        }

        var length = new FileInfo(path).Length;
        if (length == 0)
        {
            return "empty.";
        }

        return Path.GetExtension(path) switch
        {
            ".json" => JsonProblem(path),
            ".onnx" => ProtobufProblem(File.ReadAllBytes(path)),
            _ => null,
        };
    }

    private static string? JsonProblem(string path)
    {
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(path));
            return null;
        }
        catch (JsonException e)
        {
            return $"not valid JSON (truncated or overwritten): {e.Message}";
        }
    }

    /// <summary>Walks the top-level fields of a protocol buffer message; an ONNX model must also hold a graph (field 7).</summary>
    private static string? ProtobufProblem(ReadOnlySpan<byte> bytes)
    {
        const int GraphField = 7;
        var offset = 0;
        var graph = false;
        while (offset < bytes.Length)
        {
            var start = offset;
            if (!TryVarint(bytes, ref offset, out var tag))
            {
                return $"the field at byte {start} is cut short (truncated).";
            }

            var field = tag >> 3;
            switch (tag & 7)
            {
                case 0:
                    if (!TryVarint(bytes, ref offset, out _))
                    {
                        return $"field {field} at byte {start} is cut short (truncated).";
                    }

                    break;
                case 1:
                    offset += 8;
                    break;
                case 2:
                    if (!TryVarint(bytes, ref offset, out var size) || size > (ulong)(bytes.Length - offset))
                    {
                        return $"field {field} at byte {start} runs past the end of the file (truncated).";
                    }

                    offset += (int)size;
                    graph |= field == GraphField;
                    break;
                case 5:
                    offset += 4;
                    break;
                default:
                    return $"byte {start} does not start a field (wire type {tag & 7}); not an ONNX model.";
            }

            if (offset > bytes.Length)
            {
                return $"field {field} at byte {start} runs past the end of the file (truncated).";
            }
        }

        return graph ? null : "it holds no graph (truncated, or not an ONNX model).";
    }

    private static bool TryVarint(ReadOnlySpan<byte> bytes, ref int offset, out ulong value)
    {
        value = 0;
        for (var shift = 0; shift < 64 && offset < bytes.Length; shift += 7)
        {
            var b = bytes[offset++];
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                return true;
            }
        }

        return false;
    }
}
