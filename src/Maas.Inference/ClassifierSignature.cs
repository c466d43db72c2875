using Maas.Core.Errors;
using Maas.Imaging;
using Microsoft.ML.OnnxRuntime;

namespace Maas.Inference;

/// <summary>
/// What an ONNX image classifier takes and gives, as checked before it is registered: one float NCHW input and one
/// float (batch, classes) output.
/// </summary>
/// <param name="InputName">The graph's input.</param>
/// <param name="OutputName">The graph's output.</param>
/// <param name="ClassCount">Classes scored per image.</param>
/// <param name="SumsToOne">Whether the outputs of a sample batch are non-negative rows summing to 1, as probabilities are.</param>
public sealed record ClassifierSignature(string InputName, string OutputName, int ClassCount, bool SumsToOne)
{
    /// <summary>
    /// Loads <paramref name="path"/> in ONNX Runtime, checks its signature against the pipeline's tensor shape and the
    /// label count, and runs a sample batch of two seeded random images through it.
    /// </summary>
    /// <param name="path">The ONNX file.</param>
    /// <param name="shape">The per-image tensor the pipeline produces.</param>
    /// <param name="classCount">The number of labels.</param>
    /// <returns>The signature.</returns>
    /// <exception cref="InvalidInputException">The file does not load, or its input or output does not fit; the message names which.</exception>
    public static ClassifierSignature Read(string path, TensorShape shape, int classCount)
    {
        InferenceSession session;
        try
        {
            session = new InferenceSession(path);
        }
        catch (OnnxRuntimeException e)
        {
            throw new InvalidInputException($"{path}: ONNX Runtime cannot load it ({e.Message}).");
        }

        using (session)
        {
            if (session.InputMetadata.Count != 1)
            {
                throw new InvalidInputException($"{path}: a classifier takes one input; this model takes {session.InputMetadata.Count} ({string.Join(", ", session.InputMetadata.Keys)}).");
            }

            if (session.OutputMetadata.Count != 1)
            {
                throw new InvalidInputException($"{path}: a classifier gives one output; this model gives {session.OutputMetadata.Count} ({string.Join(", ", session.OutputMetadata.Keys)}).");
            }

            var (inputName, input) = session.InputMetadata.Single();
            var dims = input.Dimensions;
            if (input.ElementType != typeof(float) || dims.Length != 4)
            {
                throw new InvalidInputException($"{path}: input '{inputName}' is {input.ElementType.Name} [{string.Join(',', dims)}]; a classifier takes float [N,C,H,W].");
            }

            if (dims[1] != shape.Channels || dims[2] != shape.Height || dims[3] != shape.Width)
            {
                throw new InvalidInputException(
                    $"{path}: input '{inputName}' is [{string.Join(',', dims)}] but the pipeline produces {shape.Channels}x{shape.Height}x{shape.Width} images.");
            }

            var (outputName, output) = session.OutputMetadata.Single();
            if (output.ElementType != typeof(float) || output.Dimensions.Length != 2)
            {
                throw new InvalidInputException($"{path}: output '{outputName}' is {output.ElementType.Name} [{string.Join(',', output.Dimensions)}]; a classifier gives float [N,classes].");
            }

            // A fixed batch size is run as it is; a dynamic one (-1) with two images.
            int batch = dims[0] > 0 ? dims[0] : 2;
            var random = new Random(0);
            var pixels = new float[batch * shape.Length];
            for (int i = 0; i < pixels.Length; i++)
            {
                pixels[i] = (float)((random.NextDouble() * 2) - 1);
            }

            float[] scores;
            try
            {
                using var value = OrtValue.CreateTensorValueFromMemory(pixels, [batch, shape.Channels, shape.Height, shape.Width]);
                using var runOptions = new RunOptions();
                using var outputs = session.Run(runOptions, [inputName], [value], [outputName]);
                scores = outputs[0].GetTensorDataAsSpan<float>().ToArray();
            }
            catch (OnnxRuntimeException e)
            {
                throw new InvalidInputException($"{path}: the model loads but fails on a {batch}x{shape.Channels}x{shape.Height}x{shape.Width} input ({e.Message}).");
            }

            int classes = scores.Length / batch;
            if (classes != classCount || scores.Length % batch != 0)
            {
                throw new InvalidInputException($"{path}: output '{outputName}' scores {classes} classes but {classCount} labels were given.");
            }

            bool sumsToOne = true;
            for (int row = 0; row < batch; row++)
            {
                var r = scores.AsSpan(row * classes, classes);
                double sum = 0;
                foreach (var s in r)
                {
                    sumsToOne &= s >= 0;
                    sum += s;
                }

                sumsToOne &= Math.Abs(sum - 1) < 1e-3;
            }

            return new ClassifierSignature(inputName, outputName, classes, sumsToOne);
        }
    }
}
