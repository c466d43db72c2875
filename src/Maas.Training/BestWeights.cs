using Maas.Core.Runs;
using Maas.Training.Networks;
using TorchSharp;
using static TorchSharp.torch;

namespace Maas.Training;

/// <summary>
/// Keeps a copy of the network's state (parameters and batch-norm statistics) from the epoch with the lowest
/// validation loss, for early stopping, and puts it back at the end.
/// </summary>
internal sealed class BestWeights : IDisposable
{
    private Dictionary<string, Tensor>? _state;
    private double _loss = double.PositiveInfinity;

    /// <summary>The epoch whose state is kept; 0 before the first offer.</summary>
    public int Epoch { get; private set; }

    /// <summary>Keeps the network's state if this epoch's validation loss is the lowest so far.</summary>
    public void Offer(Network network, int epoch, double validationLoss)
    {
        if (!(validationLoss < _loss))
        {
            return;
        }

        _loss = validationLoss;
        Epoch = epoch;
        DisposeState();
        using var noGrad = no_grad();

        // Clones made outside any dispose scope, so they live until replaced or disposed here.
        _state = network.state_dict().ToDictionary(p => p.Key, p => p.Value.detach().clone());
    }

    /// <summary>Puts the kept state back into the network (when one was kept) and describes the fit.</summary>
    public FitOutcome Finish(Network network, IReadOnlyList<EpochMetrics> epochs, bool stoppedByTimeBudget, bool stoppedEarly)
    {
        if (_state is null)
        {
            return new FitOutcome(epochs, stoppedByTimeBudget, stoppedEarly, null);
        }

        using (no_grad())
        {
            foreach (var (name, value) in network.state_dict())
            {
                value.copy_(_state[name]);
            }
        }

        return new FitOutcome(epochs, stoppedByTimeBudget, stoppedEarly, Epoch);
    }

    /// <summary>Writes the kept state (its epoch, loss and tensors) for a checkpoint.</summary>
    public void Save(BinaryWriter writer)
    {
        writer.Write(Epoch);
        writer.Write(_loss);
        writer.Write(_state?.Count ?? 0);
        foreach (var (name, value) in _state ?? [])
        {
            writer.Write(name);
            value.Save(writer);
        }
    }

    /// <summary>Reads what <see cref="Save"/> wrote, replacing any state kept now; tensors take the network's shapes.</summary>
    public void Load(BinaryReader reader, Network network)
    {
        DisposeState();
        Epoch = reader.ReadInt32();
        _loss = reader.ReadDouble();
        var count = reader.ReadInt32();
        if (count == 0)
        {
            return;
        }

        var shapes = network.state_dict();
        _state = new Dictionary<string, Tensor>(count);
        for (var i = 0; i < count; i++)
        {
            var name = reader.ReadString();
            var value = zeros_like(shapes[name]);
            value.Load(reader);
            _state[name] = value;
        }
    }

    public void Dispose() => DisposeState();

    private void DisposeState()
    {
        if (_state is not null)
        {
            foreach (var tensor in _state.Values)
            {
                tensor.Dispose();
            }

            _state = null;
        }
    }
}
