using Maas.Inference;

namespace Maas.Server.Deployments;

/// <summary>
/// One loaded model version with a reference count: its owner (a deployment, or the catalog) holds one reference
/// and every request in flight holds another. Retiring drops the owner's reference; the ONNX Runtime session is
/// disposed when the last request on it ends, so a swap never pulls a session out from under a request.
/// </summary>
public sealed class ServingSession
{
    private int _references = 1;
    private int _retired;

    /// <summary>Wraps <paramref name="model"/>, owned by the caller until <see cref="Retire"/>.</summary>
    public ServingSession(LoadedModel model) => Model = model;

    /// <summary>The loaded version.</summary>
    public LoadedModel Model { get; }

    /// <summary>Whether the session has been disposed: retired and no request left on it.</summary>
    public bool IsDisposed => Volatile.Read(ref _references) == 0;

    /// <summary>Takes a reference for one request; false once the session is disposed (the caller looks again).</summary>
    public bool TryAcquire()
    {
        while (true)
        {
            var count = Volatile.Read(ref _references);
            if (count == 0)
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref _references, count + 1, count) == count)
            {
                return true;
            }
        }
    }

    /// <summary>Gives back a request's reference.</summary>
    public void Release()
    {
        if (Interlocked.Decrement(ref _references) == 0)
        {
            Model.Dispose();
        }
    }

    /// <summary>Drops the owner's reference (once); the session is disposed when its last request ends.</summary>
    public void Retire()
    {
        if (Interlocked.Exchange(ref _retired, 1) == 0)
        {
            Release();
        }
    }
}
