using Maas.Core;
using Maas.Inference;

namespace Maas.Server.Hosting;

/// <summary>How the inference server runs.</summary>
/// <param name="Home">The home folder whose registry is served.</param>
/// <param name="Host">The address to bind. The default is 127.0.0.1: nothing is exposed unless asked.</param>
/// <param name="Port">The port; 0 picks a free one. The default is 8080.</param>
/// <param name="MaxBodyBytes">The largest request body accepted. The default is 32 MiB.</param>
/// <param name="TopK">How many classes a prediction lists. The default is 5.</param>
/// <param name="RequirePredictKey">Whether prediction and model metadata need an API key (predict or manage scope). The default is false; management always needs a manage key.</param>
/// <param name="Batching">How each deployment batches requests, unless its deploy request says otherwise. The default is <see cref="BatchingOptions.Default"/>.</param>
/// <param name="MaxImagesPerRequest">The most images one multipart or JSON prediction request may hold; more is answered 413. The default is 64.</param>
/// <param name="LogFormat">How the console log is written, one entry per request. The default is <see cref="ServerLogFormat.Text"/>.</param>
public sealed record MaasServerOptions(MaasHome Home, string Host = "127.0.0.1", int Port = 8080, long MaxBodyBytes = 32L << 20, int TopK = 5,
    bool RequirePredictKey = false, BatchingOptions? Batching = null, int MaxImagesPerRequest = 64, ServerLogFormat LogFormat = ServerLogFormat.Text);
