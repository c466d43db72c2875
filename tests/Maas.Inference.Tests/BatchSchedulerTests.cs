using System.Collections.Concurrent;
using Maas.Core.Errors;
using Maas.Core.Models;

namespace Maas.Inference.Tests;

public sealed class BatchSchedulerTests
{
    private static readonly TimeSpan s_patience = TimeSpan.FromSeconds(30);

    private static readonly ModelVersion s_version =
        new("m", 1, null, null, ".", ["a", "b"], new Dictionary<string, double>(), DateTimeOffset.UtcNow);

    private sealed class CountingObserver : IBatchObserver
    {
        public ConcurrentQueue<BatchRun> Batches { get; } = new();

        public int Rejected;

        public void OnBatch(ModelVersion version, BatchRun run) => Batches.Enqueue(run);

        public void OnRejected(ModelVersion version) => Interlocked.Increment(ref Rejected);
    }

    private static float[] Image(int i) => [i, i + 0.5f];

    [Fact]
    public async Task ConcurrentRequests_RunAsOneBatch_AndEachGetsItsOwnOutputs()
    {
        using var runner = new GatedRunner();
        var observer = new CountingObserver();
        using var scheduler = new BatchScheduler(s_version, [runner], GatedRunner.InputLength,
            new BatchingOptions(MaxBatchSize: 16, MaxQueueDelayMs: 10_000), observer);

        var answers = await Task.WhenAll(Enumerable.Range(0, 16).Select(i => scheduler.RunAsync(Image(i), 1, CancellationToken.None)));

        Assert.Single(runner.Runs);
        Assert.Equal(1, scheduler.Runs);
        for (var i = 0; i < 16; i++)
        {
            Assert.Equal([i, (i + 0.5f) * 10], answers[i]);
        }

        var run = Assert.Single(observer.Batches);
        Assert.Equal((16, 16, 16), (run.Size, run.Requests, run.QueueWaits.Count));
    }

    [Fact]
    public async Task MultiImageRequest_KeepsItsRowsTogether_AndAnOverfullJoinerLeadsTheNextBatch()
    {
        using var runner = new GatedRunner();
        using var scheduler = new BatchScheduler(s_version, [runner], GatedRunner.InputLength, new BatchingOptions(MaxBatchSize: 4, MaxQueueDelayMs: 10_000));

        var three = scheduler.RunAsync([.. Image(1), .. Image(2), .. Image(3)], 3, CancellationToken.None);
        var two = scheduler.RunAsync([.. Image(4), .. Image(5)], 2, CancellationToken.None);
        var twoMore = scheduler.RunAsync([.. Image(6), .. Image(7)], 2, CancellationToken.None);

        var (threeRows, twoRows, twoMoreRows) = (await three, await two, await twoMore);

        Assert.Equal(new float[] { 1, 15, 2, 25, 3, 35 }, threeRows);
        Assert.Equal(new float[] { 4, 45, 5, 55 }, twoRows);
        Assert.Equal(new float[] { 6, 65, 7, 75 }, twoMoreRows);
        Assert.Equal([3, 4], runner.Runs.Select(r => r.Length / GatedRunner.InputLength));
    }

    [Fact]
    public async Task FullQueue_RefusesWithRetryAfter_AndCountsTheRefusal()
    {
        using var runner = new GatedRunner(open: false);
        var observer = new CountingObserver();
        using var scheduler = new BatchScheduler(s_version, [runner], GatedRunner.InputLength,
            new BatchingOptions(MaxBatchSize: 1, MaxQueueDelayMs: 0, QueueCapacity: 2), observer);
        var running = scheduler.RunAsync(Image(0), 1, CancellationToken.None);
        Assert.True(await runner.Entered.WaitAsync(s_patience));
        var queued = new[] { scheduler.RunAsync(Image(1), 1, CancellationToken.None), scheduler.RunAsync(Image(2), 1, CancellationToken.None) };

        var refused = await Assert.ThrowsAsync<OverloadedException>(() => scheduler.RunAsync(Image(3), 1, CancellationToken.None));

        Assert.Equal((503, 2), (refused.HttpStatus, scheduler.QueueDepth));
        Assert.True(refused.RetryAfter > TimeSpan.Zero);
        Assert.Equal(1, observer.Rejected);
        runner.Open();
        await Task.WhenAll([running, .. queued]);
        Assert.Equal(0, scheduler.QueueDepth);
    }

    [Fact]
    public async Task CancelledQueuedRequest_LeavesTheQueue_AndIsNeverRun()
    {
        using var runner = new GatedRunner(open: false);
        using var scheduler = new BatchScheduler(s_version, [runner], GatedRunner.InputLength, new BatchingOptions(MaxBatchSize: 1, MaxQueueDelayMs: 0));
        var running = scheduler.RunAsync(Image(0), 1, CancellationToken.None);
        Assert.True(await runner.Entered.WaitAsync(s_patience));
        using var client = new CancellationTokenSource();
        var abandoned = scheduler.RunAsync(Image(1), 1, client.Token);
        var after = scheduler.RunAsync(Image(2), 1, CancellationToken.None);
        Assert.Equal(2, scheduler.QueueDepth);

        await client.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => abandoned);
        Assert.Equal(1, scheduler.QueueDepth);
        runner.Open();
        await Task.WhenAll(running, after);
        Assert.Equal([0f, 2f], runner.Runs.Select(r => r[0]));
    }

    [Fact]
    public async Task RequestPastItsTimeout_IsAnsweredDeadlineExceeded_AndNeverRun()
    {
        using var runner = new GatedRunner(open: false);
        // A second, not 100 ms, so that on a loaded machine the first request surely starts before its deadline.
        using var scheduler = new BatchScheduler(s_version, [runner], GatedRunner.InputLength,
            new BatchingOptions(MaxBatchSize: 1, MaxQueueDelayMs: 0, RequestTimeoutMs: 1000));
        var running = scheduler.RunAsync(Image(0), 1, CancellationToken.None);
        Assert.True(await runner.Entered.WaitAsync(s_patience));

        var late = await Assert.ThrowsAsync<DeadlineExceededException>(() => scheduler.RunAsync(Image(1), 1, CancellationToken.None));

        Assert.Equal(504, late.HttpStatus);
        Assert.Contains("1000 ms", late.Message, StringComparison.Ordinal);
        Assert.Equal(0, scheduler.QueueDepth);
        // The running request's deadline passes while it is still inside the runner; waiting for that before opening
        // the gate keeps a late timer on a loaded machine from letting the run finish first.
        await Assert.ThrowsAsync<DeadlineExceededException>(() => running);
        runner.Open();
        var next = await scheduler.RunAsync(Image(2), 1, CancellationToken.None);
        Assert.Equal([2f, 25f], next);
        Assert.Equal([0f, 2f], runner.Runs.Select(r => r[0]));
    }

    [Fact]
    public async Task TwoInstances_RunTwoBatchesAtOnce()
    {
        using var first = new GatedRunner(open: false);
        using var second = new GatedRunner(open: false);
        using var scheduler = new BatchScheduler(s_version, [first, second], GatedRunner.InputLength, new BatchingOptions(MaxBatchSize: 1, MaxQueueDelayMs: 0));

        var answers = new[] { scheduler.RunAsync(Image(1), 1, CancellationToken.None), scheduler.RunAsync(Image(2), 1, CancellationToken.None) };

        // Both runs are inside their runners at the same time: neither can finish before the gates open.
        Assert.True(await first.Entered.WaitAsync(s_patience));
        Assert.True(await second.Entered.WaitAsync(s_patience));
        first.Open();
        second.Open();
        Assert.Equal([[1f, 15f], [2f, 25f]], await Task.WhenAll(answers));
    }

    [Theory]
    [InlineData(0, 2, 256, 1000, 1, "max batch size")]
    [InlineData(32, -1, 256, 1000, 1, "max queue delay")]
    [InlineData(32, 2, 0, 1000, 1, "queue capacity")]
    [InlineData(32, 2, 256, 0, 1, "request timeout")]
    [InlineData(32, 2, 256, 1000, 0, "instances")]
    public void OutOfRangeOptions_AreRefusedNamingTheSetting(int size, int delay, int capacity, int timeout, int instances, string name)
    {
        var error = Assert.Throws<InvalidInputException>(() => new BatchingOptions(size, delay, capacity, timeout, instances).Validate());

        Assert.StartsWith(name, error.Message, StringComparison.Ordinal);
    }
}
