namespace Maas.Storage.Sqlite;

/// <summary>The schema's history. Append new migrations; never edit an applied one.</summary>
public static class Migrations
{
    /// <summary>All migrations in order.</summary>
    public static IReadOnlyList<Migration> All { get; } =
    [
        new(1, "Datasets, immutable versions and their samples; runs and epochs; models, versions and aliases.", """
            CREATE TABLE datasets (
                name TEXT PRIMARY KEY,
                created_at TEXT NOT NULL
            );
            CREATE TABLE dataset_versions (
                name TEXT NOT NULL REFERENCES datasets(name),
                version INTEGER NOT NULL,
                classes TEXT NOT NULL,
                manifest_hash TEXT NOT NULL,
                sample_count INTEGER NOT NULL,
                source TEXT NOT NULL,
                created_at TEXT NOT NULL,
                PRIMARY KEY (name, version)
            );
            CREATE TABLE samples (
                name TEXT NOT NULL,
                version INTEGER NOT NULL,
                ordinal INTEGER NOT NULL,
                sample_id TEXT NOT NULL,
                blob_hash TEXT NOT NULL,
                label INTEGER NOT NULL,
                split TEXT NOT NULL,
                original_path TEXT NOT NULL,
                width INTEGER NOT NULL,
                height INTEGER NOT NULL,
                channels INTEGER NOT NULL,
                format TEXT NOT NULL,
                PRIMARY KEY (name, version, ordinal),
                FOREIGN KEY (name, version) REFERENCES dataset_versions(name, version)
            );
            CREATE INDEX samples_blob ON samples(blob_hash);
            CREATE TABLE runs (
                id TEXT PRIMARY KEY,
                dataset TEXT NOT NULL,
                parameters TEXT NOT NULL,
                status TEXT NOT NULL,
                metrics TEXT NOT NULL,
                created_at TEXT NOT NULL,
                finished_at TEXT,
                artifact_dir TEXT NOT NULL
            );
            CREATE TABLE run_epochs (
                run_id TEXT NOT NULL REFERENCES runs(id),
                epoch INTEGER NOT NULL,
                metrics TEXT NOT NULL,
                PRIMARY KEY (run_id, epoch)
            );
            CREATE TABLE models (
                name TEXT PRIMARY KEY,
                created_at TEXT NOT NULL
            );
            CREATE TABLE model_versions (
                model TEXT NOT NULL REFERENCES models(name),
                version INTEGER NOT NULL,
                run_id TEXT,
                dataset TEXT,
                artifact_dir TEXT NOT NULL,
                labels TEXT NOT NULL,
                metrics TEXT NOT NULL,
                created_at TEXT NOT NULL,
                PRIMARY KEY (model, version)
            );
            CREATE TABLE model_aliases (
                model TEXT NOT NULL,
                alias TEXT NOT NULL,
                version INTEGER NOT NULL,
                updated_at TEXT NOT NULL,
                PRIMARY KEY (model, alias),
                FOREIGN KEY (model, version) REFERENCES model_versions(model, version)
            );
            CREATE TABLE alias_history (
                model TEXT NOT NULL,
                alias TEXT NOT NULL,
                from_version INTEGER,
                to_version INTEGER NOT NULL,
                moved_at TEXT NOT NULL,
                reason TEXT NOT NULL
            );
            """),
        new(2, "Datasets remember their highest version number, so removing a version never lets its number be reused for other content.", """
            ALTER TABLE datasets ADD COLUMN last_version INTEGER NOT NULL DEFAULT 0;
            UPDATE datasets SET last_version = (SELECT COALESCE(MAX(version), 0) FROM dataset_versions WHERE dataset_versions.name = datasets.name);
            """),
        new(3, "Alias moves record who made them (an API key id, or 'cli'); models remember their highest version number, so removing a version never lets its number be reused.", """
            ALTER TABLE alias_history ADD COLUMN moved_by TEXT NOT NULL DEFAULT 'cli';
            ALTER TABLE models ADD COLUMN last_version INTEGER NOT NULL DEFAULT 0;
            UPDATE models SET last_version = (SELECT COALESCE(MAX(version), 0) FROM model_versions WHERE model_versions.model = models.name);
            CREATE INDEX alias_history_model ON alias_history(model, moved_at);
            """),
        new(4, "API keys: a public id, a name, a scope, and the SHA-256 of the secret (never the secret itself).", """
            CREATE TABLE api_keys (
                id TEXT PRIMARY KEY,
                name TEXT NOT NULL,
                scope TEXT NOT NULL,
                secret_hash BLOB NOT NULL,
                created_at TEXT NOT NULL,
                revoked_at TEXT
            );
            """),
    ];
}
