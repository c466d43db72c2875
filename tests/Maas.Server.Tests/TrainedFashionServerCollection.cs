
namespace Maas.Server.Tests;

/// <summary>Declares <see cref="TrainedFashionServer"/> as shared by the test classes of its collection.</summary>
[CollectionDefinition(TrainedFashionServer.Collection)]
public sealed class TrainedFashionServerCollection : ICollectionFixture<TrainedFashionServer>;
