using System.Net;
using System.Net.Http.Json;
using Maas.Server.Hosting;
using Microsoft.Extensions.Logging;

namespace Maas.Server.Tests;

[Collection(TrainedFashionServer.Collection)]
public sealed class RequestLoggingTests(TrainedFashionServer server)
{
    private async Task<CapturedLogEntry> OnlyEntryForAsync(string path, Func<Task<HttpStatusCode>> send, HttpStatusCode expected)
    {
        server.Logs.Entries.Clear();
        Assert.Equal(expected, await send());
        // The entry is written after the response is sent, so it may land a moment after the client has the answer.
        for (var i = 0; i < 500 && !server.Logs.Entries.Any(e => e.EventId.Id == 1000 && (string?)e.Fields["Path"] == path); i++)
        {
            await Task.Delay(10);
        }

        return Assert.Single(server.Logs.Entries, e => e.EventId.Id == 1000 && (string?)e.Fields["Path"] == path);
    }

    [Fact]
    public async Task Predict_WritesOneEntryWithModelVersionStatusDurationAndImages()
    {
        var image = await server.Stores.Blobs.GetAsync(server.TestSamples[5].BlobHash, CancellationToken.None);
        const string Path = "/v1/models/fashion-cnn:predict";

        var entry = await OnlyEntryForAsync(Path, async () =>
        {
            using var content = JsonContent.Create(new { images = new[] { Convert.ToBase64String(image), Convert.ToBase64String(image) } });
            using var response = await server.Client.PostAsync(new Uri(Path, UriKind.Relative), content);
            return response.StatusCode;
        }, HttpStatusCode.OK);

        Assert.Equal((ServerLog.RequestCategory, LogLevel.Information, "RequestCompleted"), (entry.Category, entry.Level, entry.EventId.Name));
        Assert.Equal(("POST", 200, "fashion-cnn", 1, 2), ((string?)entry.Fields["Method"], (int?)entry.Fields["Status"], (string?)entry.Fields["Model"],
            (int?)entry.Fields["Version"], (int?)entry.Fields["Images"]));
        Assert.True((double)entry.Fields["DurationMs"]! > 0);
        Assert.Null(entry.Fields["KeyId"]);
    }

    [Fact]
    public async Task AuthenticatedRequest_LogsTheKeyId_AndAFailedPrediction_LogsItsStatus()
    {
        var managed = await OnlyEntryForAsync("/v1/deployments", async () =>
        {
            using var response = await server.SendAsync(HttpMethod.Get, "/v1/deployments", server.ManageKey);
            return response.StatusCode;
        }, HttpStatusCode.OK);
        var failed = await OnlyEntryForAsync("/v1/models/no-such-model:predict", async () =>
        {
            using var content = new ByteArrayContent([1, 2, 3]);
            using var response = await server.Client.PostAsync(new Uri("/v1/models/no-such-model:predict", UriKind.Relative), content);
            return response.StatusCode;
        }, HttpStatusCode.NotFound);

        Assert.Equal((server.ManageKeyId, 200), ((string?)managed.Fields["KeyId"], (int?)managed.Fields["Status"]));
        Assert.Equal((404, "no-such-model", null, 0), ((int?)failed.Fields["Status"], (string?)failed.Fields["Model"], (int?)failed.Fields["Version"], (int?)failed.Fields["Images"]));
    }
}
