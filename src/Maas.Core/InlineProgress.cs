namespace Maas.Core;

/// <summary>
/// An <see cref="IProgress{T}"/> that reports on the caller's thread. <see cref="Progress{T}"/> posts to the thread
/// pool, where reports can arrive out of order or after the work has finished.
/// </summary>
/// <param name="handler">Called with each report.</param>
public sealed class InlineProgress<T>(Action<T> handler) : IProgress<T>
{
    /// <inheritdoc />
    public void Report(T value) => handler(value);
}
