using Maas.Core.Errors;
using Maas.Training.Networks;
using static TorchSharp.torch;

namespace Maas.Training.Evaluation;

/// <summary>
/// Runs a network in inference mode (evaluation mode, no gradients, in batches) and scores its predictions.
/// The network's training or evaluation mode is restored afterwards.
/// </summary>
public static class Evaluator
{
    /// <summary>
    /// Samples per forward pass when none is given: 256. Inference keeps no activations for a backward pass, so a
    /// batch twice the training default still needs only tens of megabytes for the small networks here.
    /// </summary>
    public const int DefaultBatchSize = 256;

    /// <summary>Measures a network on labelled data: accuracy, loss, per-class precision, recall and F1, and the confusion matrix.</summary>
    /// <param name="network">The network to measure.</param>
    /// <param name="data">Labelled samples of the size the network takes.</param>
    /// <param name="classNames">A name for each class, in class-index order.</param>
    /// <param name="batchSize">Samples per forward pass. The default is <see cref="DefaultBatchSize"/>.</param>
    /// <param name="cancellationToken">Checked before each batch.</param>
    /// <returns>The report.</returns>
    /// <exception cref="InvalidInputException">The data or class names do not fit the network.</exception>
    public static EvaluationReport Evaluate(
        Network network,
        TrainingData data,
        IReadOnlyList<string> classNames,
        int batchSize = DefaultBatchSize,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(classNames);
        if (classNames.Count != network.Spec.ClassCount)
        {
            throw new InvalidInputException(
                $"Evaluation got {classNames.Count} class names for a network with {network.Spec.ClassCount} classes.");
        }

        var (meanLoss, predicted) = PredictAll(network, data, batchSize, cancellationToken);
        return Score(data.Labels, predicted, classNames, meanLoss);
    }

    /// <summary>The network's logits and probabilities for one batch, as an exported model would give them.</summary>
    /// <param name="network">The network to run.</param>
    /// <param name="pixels">count · C · H · W floats in NCHW order, C, H and W being the network's input size.</param>
    /// <param name="count">Samples in the batch.</param>
    /// <returns>The outputs, row-major (sample, class).</returns>
    /// <exception cref="ArgumentException">The pixel count does not match <paramref name="count"/> samples of the network's input size.</exception>
    public static BatchPrediction Predict(Network network, ReadOnlySpan<float> pixels, int count)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        var spec = network.Spec;
        long expected = (long)count * spec.InputChannels * spec.InputHeight * spec.InputWidth;
        if (pixels.Length != expected)
        {
            throw new ArgumentException(
                $"{count} samples of {spec.InputChannels}x{spec.InputHeight}x{spec.InputWidth} need {expected} floats, got {pixels.Length}.",
                nameof(pixels));
        }

        using var mode = new InferenceMode(network);
        using var scope = NewDisposeScope();
        using var input = tensor(pixels.ToArray(), [count, spec.InputChannels, spec.InputHeight, spec.InputWidth]);
        var logits = network.call(input);
        var probabilities = nn.functional.softmax(logits, 1);
        return new BatchPrediction(count, spec.ClassCount, logits.data<float>().ToArray(), probabilities.data<float>().ToArray());
    }

    /// <summary>Scores predicted classes against true labels, without a network (the loss is whatever the caller knows).</summary>
    /// <param name="trueLabels">The label of each sample.</param>
    /// <param name="predictedLabels">The predicted class of each sample.</param>
    /// <param name="classNames">A name for each class, in class-index order.</param>
    /// <param name="loss">The mean loss to record, if known.</param>
    /// <returns>The report; precision or recall with nothing to divide by is 0.</returns>
    /// <exception cref="ArgumentException">The label lists differ in length, or a label is not a class index.</exception>
    public static EvaluationReport Score(
        ReadOnlySpan<int> trueLabels,
        ReadOnlySpan<int> predictedLabels,
        IReadOnlyList<string> classNames,
        double? loss = null)
    {
        ArgumentNullException.ThrowIfNull(classNames);
        if (trueLabels.Length != predictedLabels.Length)
        {
            throw new ArgumentException(
                $"There are {trueLabels.Length} true labels but {predictedLabels.Length} predictions.", nameof(predictedLabels));
        }

        int k = classNames.Count;
        var confusion = new int[k][];
        for (int i = 0; i < k; i++)
        {
            confusion[i] = new int[k];
        }

        int correct = 0;
        for (int i = 0; i < trueLabels.Length; i++)
        {
            int truth = trueLabels[i];
            int guess = predictedLabels[i];
            if ((uint)truth >= (uint)k || (uint)guess >= (uint)k)
            {
                throw new ArgumentException(
                    $"Sample {i} has label {truth} and prediction {guess}; both must be class indices in [0, {k}).", nameof(trueLabels));
            }

            confusion[truth][guess]++;
            if (truth == guess)
            {
                correct++;
            }
        }

        var classes = new ClassMetrics[k];
        for (int c = 0; c < k; c++)
        {
            int support = confusion[c].Sum();
            int predictedAsC = 0;
            for (int t = 0; t < k; t++)
            {
                predictedAsC += confusion[t][c];
            }

            double precision = Ratio(confusion[c][c], predictedAsC);
            double recall = Ratio(confusion[c][c], support);
            double f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
            classes[c] = new ClassMetrics(classNames[c], precision, recall, f1, support);
        }

        return new EvaluationReport(trueLabels.Length, Ratio(correct, trueLabels.Length), loss, classes, confusion);
    }

    /// <summary>The mean cross-entropy and the predicted class of every sample, in batches, in inference mode.</summary>
    internal static (double MeanLoss, int[] Predicted) PredictAll(
        Network network,
        TrainingData data,
        int batchSize,
        CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        data.Validate("evaluation data");
        var spec = network.Spec;
        if (data.Channels != spec.InputChannels || data.Height != spec.InputHeight || data.Width != spec.InputWidth
            || data.ClassCount != spec.ClassCount)
        {
            throw new InvalidInputException(
                $"The evaluation data has {data.Channels}x{data.Height}x{data.Width} images and {data.ClassCount} classes, but the network takes "
                + $"{spec.InputChannels}x{spec.InputHeight}x{spec.InputWidth} images and has {spec.ClassCount} classes.");
        }

        using var mode = new InferenceMode(network);
        var predicted = new int[data.Count];
        double lossSum = 0;
        int size = data.SampleSize;
        for (int start = 0; start < data.Count; start += batchSize)
        {
            cancellationToken.ThrowIfCancellationRequested();
            int count = Math.Min(batchSize, data.Count - start);
            using var scope = NewDisposeScope();
            var input = tensor(data.Pixels.AsSpan(start * size, count * size).ToArray(), [count, data.Channels, data.Height, data.Width]);
            var target = tensor(Array.ConvertAll(data.Labels[start..(start + count)], l => (long)l), [count]);
            var logits = network.call(input);
            lossSum += nn.functional.cross_entropy(logits, target, reduction: nn.Reduction.Sum).item<float>();
            var best = logits.argmax(1).data<long>();
            for (int i = 0; i < count; i++)
            {
                predicted[start + i] = (int)best[i];
            }
        }

        return (lossSum / data.Count, predicted);
    }

    private static double Ratio(int part, int whole) => whole == 0 ? 0 : (double)part / whole;

    /// <summary>Evaluation mode and no gradients for its lifetime; puts the network back in the mode it found it in.</summary>
    private readonly struct InferenceMode : IDisposable
    {
        private readonly Network _network;
        private readonly bool _wasTraining;
        private readonly IDisposable _noGrad;

        public InferenceMode(Network network)
        {
            _network = network;
            _wasTraining = network.training;
            network.eval();
            _noGrad = no_grad();
        }

        public void Dispose()
        {
            _noGrad.Dispose();
            _network.train(_wasTraining);
        }
    }
}
