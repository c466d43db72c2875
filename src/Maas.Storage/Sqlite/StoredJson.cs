using System.Globalization;
using System.Text.Json;

namespace Maas.Storage.Sqlite;

/// <summary>How structured columns and timestamps are written to and read from SQLite text columns.</summary>
internal static class StoredJson
{
    public static string Write<T>(T value) => JsonSerializer.Serialize(value);

    public static T Read<T>(string text) =>
        JsonSerializer.Deserialize<T>(text) ?? throw new InvalidDataException($"A stored JSON column is empty: '{text}'.");

    public static string Time(DateTimeOffset time) => time.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture);

    public static DateTimeOffset Time(string text) => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);
}
