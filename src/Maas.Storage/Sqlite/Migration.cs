namespace Maas.Storage.Sqlite;

/// <summary>One numbered schema change, applied once, in order, inside a transaction.</summary>
/// <param name="Number">Applied in ascending order; never renumbered.</param>
/// <param name="Note">What the change does, for people reading the schema history.</param>
/// <param name="Sql">The statements.</param>
public sealed record Migration(int Number, string Note, string Sql);
