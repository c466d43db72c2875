using Maas.Core.Errors;
using Maas.Core.Pipelines;

namespace Maas.Imaging;

/// <summary>
/// One mode's ops, split into the pixel ops (8-bit, HWC) and the tensor stage (normalize and any erasing after it),
/// with the shape they produce. Op indices are those of the spec as written, which seed each op's random stream.
/// </summary>
internal sealed class ExecutionPlan
{
    public ExecutionPlan(IReadOnlyList<PipelineOp> ops, IReadOnlyList<int> specIndices)
    {
        var pixel = new List<PlannedOp>();
        var tensor = new List<PlannedOp>();
        var channels = 0;
        ImageSize? size = null;
        for (var i = 0; i < ops.Count; i++)
        {
            var op = ops[i];
            channels = op.ChannelsAfter(channels);
            size = op.SizeAfter(size);
            switch (op)
            {
                case DecodeOp:
                    break;
                case ToTensorOp t:
                    DType = t.Dtype;
                    break;
                case NormalizeOp n:
                    Normalize = n;
                    NormalizeIndex = specIndices[i];
                    break;
                case RandomErasingOp when Normalize is not null:
                    tensor.Add(new PlannedOp(op, specIndices[i], i));
                    break;
                default:
                    pixel.Add(new PlannedOp(op, specIndices[i], i));
                    break;
            }
        }

        PixelOps = [.. pixel];
        TensorOps = [.. tensor];
        var fixedSize = size ?? throw new InvalidInputException("pipeline: the output size is not fixed.");
        Shape = new TensorShape(channels, fixedSize.Height, fixedSize.Width);
    }

    public PlannedOp[] PixelOps { get; }

    public PlannedOp[] TensorOps { get; }

    public NormalizeOp? Normalize { get; }

    public int NormalizeIndex { get; }

    public TensorDType DType { get; } = TensorDType.Float32;

    public TensorShape Shape { get; }

    /// <summary>An op with its index in the spec as written (its random stream) and in this plan (for the prefix).</summary>
    public readonly record struct PlannedOp(PipelineOp Op, int SpecIndex, int PlanIndex);
}
