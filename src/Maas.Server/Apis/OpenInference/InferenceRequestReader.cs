using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text.Json;
using Maas.Core.Errors;

namespace Maas.Server.Apis.OpenInference;

/// <summary>
/// Reads an Open Inference Protocol (KServe v2) request: the JSON header and, with the binary tensor extension,
/// the raw tensor bytes after it. Inputs with a <c>binary_data_size</c> parameter take their bytes from the binary
/// part, in the order the inputs are listed; numbers are little-endian, BYTES elements each carry a 4-byte
/// little-endian length prefix. In JSON, <c>data</c> may be flat or nested, and BYTES elements are base64 strings.
/// </summary>
public static class InferenceRequestReader
{
    /// <summary>The requested outputs: names and whether each is wanted as binary.</summary>
    public sealed record Request(string? Id, IReadOnlyList<InferenceInput> Inputs, IReadOnlyList<(string Name, bool Binary)> Outputs, bool BinaryByDefault);

    /// <summary>Parses the request whose JSON is <paramref name="json"/> and binary part <paramref name="binary"/>.</summary>
    /// <exception cref="InvalidInputException">The request is malformed.</exception>
    public static Request Read(ReadOnlySpan<byte> json, ReadOnlySpan<byte> binary)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json.ToArray());
        }
        catch (JsonException e)
        {
            throw new InvalidInputException($"inference request: the JSON is malformed ({e.Message}).", e);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("inputs", out var inputs) || inputs.ValueKind != JsonValueKind.Array || inputs.GetArrayLength() == 0)
            {
                throw new InvalidInputException("inference request: 'inputs' must be a non-empty array.");
            }

            var offset = 0;
            var read = new List<InferenceInput>();
            foreach (var input in inputs.EnumerateArray())
            {
                read.Add(ReadInput(input, binary, ref offset));
            }

            if (offset != binary.Length)
            {
                throw new InvalidInputException($"inference request: {binary.Length - offset} bytes of binary data follow the inputs' binary_data_size total of {offset}.");
            }

            var outputs = new List<(string, bool)>();
            if (root.TryGetProperty("outputs", out var requested) && requested.ValueKind == JsonValueKind.Array)
            {
                foreach (var output in requested.EnumerateArray())
                {
                    var name = Text(output, "name", "output");
                    outputs.Add((name, Flag(output, "binary_data") ?? Flag(root, "binary_data_output") ?? false));
                }
            }

            var id = root.TryGetProperty("id", out var idElement) && idElement.ValueKind == JsonValueKind.String ? idElement.GetString() : null;
            return new Request(id, read, outputs, Flag(root, "binary_data_output") ?? false);
        }
    }

    private static InferenceInput ReadInput(JsonElement input, ReadOnlySpan<byte> binary, ref int offset)
    {
        var name = Text(input, "name", "input");
        var datatype = Text(input, "datatype", $"input '{name}'");
        if (!input.TryGetProperty("shape", out var shapeElement) || shapeElement.ValueKind != JsonValueKind.Array)
        {
            throw new InvalidInputException($"input '{name}': 'shape' must be an array of dimensions.");
        }

        var shape = new List<long>();
        foreach (var dim in shapeElement.EnumerateArray())
        {
            if (dim.ValueKind != JsonValueKind.Number || !dim.TryGetInt64(out var d) || d < 0)
            {
                throw new InvalidInputException($"input '{name}': shape dimensions must be non-negative integers.");
            }

            shape.Add(d);
        }

        var count = shape.Aggregate(1L, (a, b) => a * b);
        var size = Parameters(input)?.TryGetProperty("binary_data_size", out var s) == true && s.TryGetInt64(out var bytes) ? bytes : (long?)null;
        if (size is { } n)
        {
            if (n < 0 || n > binary.Length - offset)
            {
                throw new InvalidInputException($"input '{name}': binary_data_size {n} runs past the {binary.Length - offset} bytes of binary data left.");
            }

            var segment = binary.Slice(offset, (int)n);
            offset += (int)n;
            return datatype switch
            {
                "FP32" => Numeric(name, datatype, shape, count, segment, 4, s => MemoryMarshal.Cast<byte, float>(s).ToArray()),
                "FP64" => Numeric(name, datatype, shape, count, segment, 8, s => Array.ConvertAll(MemoryMarshal.Cast<byte, double>(s).ToArray(), d => (float)d)),
                "BYTES" => new InferenceInput(name, datatype, shape, [], Strings(name, segment, count)),
                _ => throw Unsupported(name, datatype),
            };
        }

        if (!input.TryGetProperty("data", out var data))
        {
            throw new InvalidInputException($"input '{name}': it has neither 'data' nor a binary_data_size parameter.");
        }

        var flat = new List<JsonElement>();
        Flatten(data, flat);
        if (flat.Count != count)
        {
            throw new InvalidInputException($"input '{name}': shape [{string.Join(',', shape)}] holds {count} elements but 'data' has {flat.Count}.");
        }

        switch (datatype)
        {
            case "FP32" or "FP64":
                var numbers = new float[flat.Count];
                for (var i = 0; i < flat.Count; i++)
                {
                    numbers[i] = flat[i].ValueKind == JsonValueKind.Number
                        ? flat[i].GetSingle()
                        : throw new InvalidInputException($"input '{name}': element {i} is not a number.");
                }

                return new InferenceInput(name, datatype, shape, numbers, []);
            case "BYTES":
                var elements = new List<byte[]>();
                for (var i = 0; i < flat.Count; i++)
                {
                    try
                    {
                        elements.Add(flat[i].ValueKind == JsonValueKind.String
                            ? Convert.FromBase64String(flat[i].GetString()!)
                            : throw new InvalidInputException($"input '{name}': element {i} is not a string."));
                    }
                    catch (FormatException e)
                    {
                        throw new InvalidInputException($"input '{name}': element {i} is not base64 ({e.Message}); send images base64-encoded in JSON, or raw with the binary extension.");
                    }
                }

                return new InferenceInput(name, datatype, shape, [], elements);
            default:
                throw Unsupported(name, datatype);
        }
    }

    private static InferenceInput Numeric(string name, string datatype, List<long> shape, long count, ReadOnlySpan<byte> segment, int width,
        Func<byte[], float[]> convert)
    {
        if (segment.Length != count * width)
        {
            throw new InvalidInputException($"input '{name}': shape [{string.Join(',', shape)}] of {datatype} needs {count * width} bytes, but binary_data_size is {segment.Length}.");
        }

        return new InferenceInput(name, datatype, shape, convert(segment.ToArray()), []);
    }

    private static List<byte[]> Strings(string name, ReadOnlySpan<byte> segment, long count)
    {
        var elements = new List<byte[]>();
        var at = 0;
        while (at < segment.Length)
        {
            if (segment.Length - at < 4)
            {
                throw new InvalidInputException($"input '{name}': BYTES element {elements.Count} is cut off in its length prefix.");
            }

            var length = BinaryPrimitives.ReadUInt32LittleEndian(segment[at..]);
            at += 4;
            if (length > segment.Length - at)
            {
                throw new InvalidInputException($"input '{name}': BYTES element {elements.Count} claims {length} bytes but {segment.Length - at} are left.");
            }

            elements.Add(segment.Slice(at, (int)length).ToArray());
            at += (int)length;
        }

        return elements.Count == count
            ? elements
            : throw new InvalidInputException($"input '{name}': the shape holds {count} elements but the binary data has {elements.Count}.");
    }

    private static void Flatten(JsonElement element, List<JsonElement> into)
    {
        if (element.ValueKind != JsonValueKind.Array)
        {
            into.Add(element);
            return;
        }

        foreach (var item in element.EnumerateArray())
        {
            Flatten(item, into);
        }
    }

    private static JsonElement? Parameters(JsonElement element) =>
        element.TryGetProperty("parameters", out var p) && p.ValueKind == JsonValueKind.Object ? p : null;

    private static bool? Flag(JsonElement element, string name) =>
        Parameters(element) is { } p && p.TryGetProperty(name, out var flag) && flag.ValueKind is JsonValueKind.True or JsonValueKind.False ? flag.GetBoolean() : null;

    private static string Text(JsonElement element, string property, string what) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()!
            : throw new InvalidInputException($"{what}: '{property}' must be a string.");

    private static InvalidInputException Unsupported(string name, string datatype) =>
        new($"input '{name}': datatype '{datatype}' is not supported; send FP32 (or FP64) tensors, or BYTES holding PNG or JPEG images.");
}
