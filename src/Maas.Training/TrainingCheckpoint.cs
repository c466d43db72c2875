using System.Text.Json;
using Maas.Core.Errors;
using Maas.Training.Networks;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Maas.Training;

/// <summary>
/// The end-of-epoch checkpoint: one file holding the epoch number and metrics so far, the network's state
/// (parameters and batch-norm statistics), the optimizer's state (AdamW moments and step counts, SGD momentum
/// buffers) and the early-stopping state. The sample order and libtorch's generator are reseeded from (seed, epoch)
/// every epoch (<see cref="EpochRandomness"/>), so no random state needs saving. The file is written beside its
/// final name and renamed over it, so a crash leaves the previous checkpoint or the new one, never half of one.
/// </summary>
public static class TrainingCheckpoint
{
    /// <summary>The checkpoint's file name in its folder.</summary>
    public const string FileName = "checkpoint.bin";

    private const string Magic = "maas-checkpoint";
    private const int FormatVersion = 1;

    /// <summary>Reads what a checkpoint says about its training, or null when <paramref name="folder"/> has none.</summary>
    /// <exception cref="InvalidInputException">The file is not a checkpoint this version can read.</exception>
    public static CheckpointSummary? TryReadSummary(string folder)
    {
        var path = Path.Combine(folder, FileName);
        if (!File.Exists(path))
        {
            return null;
        }

        using var reader = new BinaryReader(File.OpenRead(path));
        return ReadSummary(reader, path);
    }

    internal static void Write(string folder, CheckpointSummary summary, Network network, optim.Optimizer optimizer, BestWeights best)
    {
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, FileName);
        var temporary = path + ".tmp";
        using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
        using (var writer = new BinaryWriter(stream))
        {
            writer.Write(Magic);
            writer.Write(FormatVersion);
            writer.Write(summary.Epoch);
            writer.Write(JsonSerializer.Serialize(summary.Epochs));
            writer.Write(summary.Architecture);
            writer.Write(summary.Optimizer);
            writer.Write(summary.Seed);
            network.save(writer);
            AsHelper(optimizer).save_state_dict(writer);
            best.Save(writer);
            writer.Flush();
            // On disk before the rename, so the rename cannot expose a file whose blocks never arrived.
            stream.Flush(flushToDisk: true);
        }

        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>Restores the network, optimizer and early-stopping state; returns what the checkpoint says.</summary>
    internal static CheckpointSummary Restore(string folder, TrainingOptions options, Network network, optim.Optimizer optimizer, BestWeights best)
    {
        var path = Path.Combine(folder, FileName);
        using var reader = new BinaryReader(File.OpenRead(path));
        var summary = ReadSummary(reader, path);
        if (summary.Architecture != options.Architecture || summary.Optimizer != options.Optimizer || summary.Seed != options.Seed)
        {
            throw new InvalidInputException(
                $"The checkpoint {path} was saved by a {summary.Architecture} run with optimizer {summary.Optimizer} and seed {summary.Seed}, "
                + $"not {options.Architecture} with {options.Optimizer} and seed {options.Seed}.");
        }

        network.load(reader, strict: true);
        AsHelper(optimizer).load_state_dict(reader);
        best.Load(reader, network);
        return summary;
    }

    private static CheckpointSummary ReadSummary(BinaryReader reader, string path)
    {
        try
        {
            if (reader.ReadString() != Magic)
            {
                throw new InvalidInputException($"{path} is not a Maas training checkpoint.");
            }

            var version = reader.ReadInt32();
            if (version != FormatVersion)
            {
                throw new InvalidInputException($"The checkpoint {path} has format {version}; this version of Maas reads format {FormatVersion}.");
            }

            var epoch = reader.ReadInt32();
            var epochs = JsonSerializer.Deserialize<List<Core.Runs.EpochMetrics>>(reader.ReadString()) ?? [];
            return new CheckpointSummary(epoch, epochs, reader.ReadString(), reader.ReadString(), reader.ReadInt64());
        }
        catch (EndOfStreamException)
        {
            throw new InvalidInputException($"The checkpoint {path} is truncated.");
        }
    }

    // AdamW and SGD are implemented in managed code, where TorchSharp keeps their state and can write it.
    private static OptimizerHelper AsHelper(optim.Optimizer optimizer) =>
        optimizer as OptimizerHelper ?? throw new NotSupportedException($"Optimizer {optimizer.GetType().Name} cannot save its state.");
}
