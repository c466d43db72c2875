using Google.Protobuf;
using Onnx;

namespace Maas.Inference.Tests;

/// <summary>
/// An ONNX classifier small enough to check by hand: flatten, y = xW + b, then softmax unless it is to give logits
/// only, as another tool might write one.
/// </summary>
public static class LinearSoftmaxGraph
{
    public static byte[] Build(int channels, int height, int width, float[,] weights, float[] bias) =>
        Build(channels, height, width, weights.Cast<float>(), bias, "input", "probabilities", softmax: true);

    public static byte[] Build(int channels, int height, int width, IEnumerable<float> weights, float[] bias, string input, string output, bool softmax,
        bool embedding = false)
    {
        var features = channels * height * width;
        var classes = bias.Length;
        var graph = new GraphProto { Name = "linear" };
        graph.Input.Add(Value(input, [null, channels, height, width]));
        graph.Output.Add(Value(output, [null, classes]));
        graph.Initializer.Add(Tensor("W", [features, classes], weights));
        graph.Initializer.Add(Tensor("b", [classes], bias));
        graph.Node.Add(Node("Flatten", [input], ["flat"], new AttributeProto { Name = "axis", Type = AttributeProto.Types.AttributeType.Int, I = 1 }));
        graph.Node.Add(Node("Gemm", ["flat", "W", "b"], [softmax ? "logits" : output]));
        if (softmax)
        {
            graph.Node.Add(Node("Softmax", ["logits"], [output], new AttributeProto { Name = "axis", Type = AttributeProto.Types.AttributeType.Int, I = 1 }));
        }

        if (embedding)
        {
            // The flattened input is what the linear head reads, as a Maas export's embedding output is.
            graph.Node.Add(Node("Identity", ["flat"], ["embedding"]));
            graph.Output.Add(Value("embedding", [null, features]));
        }

        var model = new ModelProto { IrVersion = 8, Graph = graph, ProducerName = "maas-tests" };
        model.OpsetImport.Add(new OperatorSetIdProto { Version = 17 });
        return model.ToByteArray();
    }

    private static NodeProto Node(string op, string[] inputs, string[] outputs, params AttributeProto[] attributes)
    {
        var node = new NodeProto { OpType = op, Name = op };
        node.Input.Add(inputs);
        node.Output.Add(outputs);
        node.Attribute.Add(attributes);
        return node;
    }

    private static TensorProto Tensor(string name, long[] dims, IEnumerable<float> values)
    {
        var tensor = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Float };
        tensor.Dims.Add(dims);
        tensor.FloatData.Add(values);
        return tensor;
    }

    private static ValueInfoProto Value(string name, int?[] dims)
    {
        var shape = new TensorShapeProto();
        foreach (var d in dims)
        {
            shape.Dim.Add(d is { } size ? new TensorShapeProto.Types.Dimension { DimValue = size } : new TensorShapeProto.Types.Dimension { DimParam = "batch" });
        }

        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float, Shape = shape } },
        };
    }
}
