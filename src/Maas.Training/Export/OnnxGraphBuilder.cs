using System.Runtime.InteropServices;
using Google.Protobuf;
using Onnx;
using static TorchSharp.torch;

namespace Maas.Training.Export;

/// <summary>Appends nodes, weights and typed inputs and outputs to an ONNX graph, keeping the protobuf plumbing in one place.</summary>
internal sealed class OnnxGraphBuilder(GraphProto graph)
{
    public GraphProto Graph { get; } = graph;

    public NodeProto AddNode(string opType, string name, string[] inputs, string output, params AttributeProto[] attributes)
    {
        var node = new NodeProto { OpType = opType, Name = name };
        node.Input.AddRange(inputs);
        node.Output.Add(output);
        node.Attribute.AddRange(attributes);
        Graph.Node.Add(node);
        return node;
    }

    /// <summary>Stores a float tensor's current values as a graph initializer and returns its name.</summary>
    public string AddWeight(string name, Tensor value)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var data = value.detach().cpu().to_type(ScalarType.Float32).contiguous().data<float>().ToArray();
        var proto = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Float };
        proto.Dims.AddRange(value.shape);

        // raw_data is little-endian by the ONNX spec; MemoryMarshal takes the machine's order, hence the check.
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("ONNX export writes raw little-endian floats and needs a little-endian machine.");
        }

        proto.RawData = ByteString.CopyFrom(MemoryMarshal.AsBytes(data.AsSpan()));
        Graph.Initializer.Add(proto);
        return name;
    }

    /// <summary>Stores constant floats of the given shape as a graph initializer and returns its name.</summary>
    public string AddConstant(string name, IReadOnlyList<float> values, long[] dims)
    {
        var proto = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Float };
        proto.Dims.AddRange(dims);
        proto.FloatData.AddRange(values);
        Graph.Initializer.Add(proto);
        return name;
    }

    public void AddFloatInput(string name, params Dimension[] dims) => Graph.Input.Add(FloatValue(name, dims));

    public void AddFloatOutput(string name, params Dimension[] dims) => Graph.Output.Add(FloatValue(name, dims));

    public static AttributeProto Ints(string name, params long[] values)
    {
        var attribute = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        attribute.Ints.AddRange(values);
        return attribute;
    }

    public static AttributeProto Int(string name, long value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value };

    public static AttributeProto Float(string name, float value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Float, F = value };

    private static ValueInfoProto FloatValue(string name, Dimension[] dims)
    {
        var shape = new TensorShapeProto();
        foreach (var dim in dims)
        {
            shape.Dim.Add(dim.Symbol is null
                ? new TensorShapeProto.Types.Dimension { DimValue = dim.Size }
                : new TensorShapeProto.Types.Dimension { DimParam = dim.Symbol });
        }

        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto
            {
                TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float, Shape = shape },
            },
        };
    }

    /// <summary>One axis of a graph input or output: a fixed size, or a symbol the runtime fills in (the batch).</summary>
    public readonly record struct Dimension(long Size, string? Symbol)
    {
        public static Dimension Fixed(long size) => new(size, null);

        public static Dimension Named(string symbol) => new(0, symbol);
    }
}
