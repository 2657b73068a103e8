//! Durable sandbox, volume and snapshot records in SQLite. Every change is committed before the HTTP answer is
//! sent, so a crash or `kill -9` loses nothing that a client was told about.

use std::path::Path;
use std::sync::Mutex;

use daytona_types::api::sandbox::Sandbox;
use daytona_types::api::secret::Secret;
use daytona_types::api::snapshot::Snapshot;
use daytona_types::api::volume::Volume;
use daytona_types::api::warm_pool::WarmPool;
use rusqlite::{params, Connection, OptionalExtension};

use crate::runtime::image_builder::ImageConfig;

/// A sandbox as stored: the DTO plus the timestamps the lifecycle reaper needs.
#[derive(Debug, Clone, PartialEq)]
pub struct Record {
    pub dto: Sandbox,
    pub created_ms: i64,
    pub last_activity_ms: i64,
    pub state_changed_ms: i64,
}

pub struct Store {
    conn: Mutex<Connection>,
}

/// An insert's result: a unique-name clash is [`StoreError::NameTaken`].
fn inserted(res: rusqlite::Result<usize>) -> Result<(), StoreError> {
    match res {
        Err(rusqlite::Error::SqliteFailure(e, _)) if e.code == rusqlite::ErrorCode::ConstraintViolation => Err(StoreError::NameTaken),
        other => other.map(drop).map_err(Into::into),
    }
}

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("name taken")]
    NameTaken,
    #[error(transparent)]
    Sql(#[from] rusqlite::Error),
    #[error("corrupt record: {0}")]
    Corrupt(#[from] serde_json::Error),
}

impl From<StoreError> for crate::runtime::error::Error {
    fn from(e: StoreError) -> Self {
        crate::runtime::error::Error::Internal(e.into())
    }
}

impl Store {
    pub fn open(path: &Path) -> Result<Self, StoreError> {
        let conn = Connection::open(path)?;
        conn.execute_batch(
            "PRAGMA journal_mode = WAL;
             PRAGMA synchronous = FULL;
             CREATE TABLE IF NOT EXISTS sandboxes (
                 id TEXT PRIMARY KEY,
                 name TEXT NOT NULL UNIQUE,
                 dto TEXT NOT NULL,
                 created_ms INTEGER NOT NULL,
                 last_activity_ms INTEGER NOT NULL,
                 state_changed_ms INTEGER NOT NULL
             );
             CREATE TABLE IF NOT EXISTS warm_pools (
                 id TEXT PRIMARY KEY,
                 dto TEXT NOT NULL,
                 created_ms INTEGER NOT NULL
             );
             CREATE TABLE IF NOT EXISTS warm_members (
                 sandbox_id TEXT PRIMARY KEY,
                 pool_id TEXT NOT NULL
             );
             CREATE TABLE IF NOT EXISTS forks (
                 id TEXT PRIMARY KEY,
                 parent_id TEXT NOT NULL
             );
             CREATE TABLE IF NOT EXISTS signing_keys (
                 sandbox_id TEXT PRIMARY KEY,
                 generation INTEGER NOT NULL
             );
             CREATE TABLE IF NOT EXISTS volumes (
                 id TEXT PRIMARY KEY,
                 name TEXT NOT NULL UNIQUE,
                 dto TEXT NOT NULL,
                 created_ms INTEGER NOT NULL
             );
             CREATE TABLE IF NOT EXISTS secrets (
                 id TEXT PRIMARY KEY,
                 name TEXT NOT NULL UNIQUE,
                 dto TEXT NOT NULL,
                 sealed BLOB NOT NULL
             );
             CREATE TABLE IF NOT EXISTS sandbox_secrets (
                 sandbox_id TEXT NOT NULL,
                 env TEXT NOT NULL,
                 secret_id TEXT NOT NULL,
                 PRIMARY KEY (sandbox_id, env)
             );
             CREATE TABLE IF NOT EXISTS snapshots (
                 id TEXT PRIMARY KEY,
                 name TEXT NOT NULL UNIQUE,
                 dto TEXT NOT NULL,
                 config TEXT NOT NULL,
                 created_ms INTEGER NOT NULL
             );",
        )?;
        Ok(Store { conn: Mutex::new(conn) })
    }

    /// The first column of every row a query gives, as text.
    fn column(&self, sql: &str, params: impl rusqlite::Params) -> Result<Vec<String>, StoreError> {
        let conn = self.conn();
        let mut stmt = conn.prepare(sql)?;
        let rows = stmt.query_map(params, |r| r.get(0))?.collect::<Result<_, _>>()?;
        Ok(rows)
    }

    fn conn(&self) -> std::sync::MutexGuard<'_, Connection> {
        // A poisoned lock only means another request panicked mid-call; SQLite's own
        // transaction kept the data consistent, so carry on.
        self.conn.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub fn insert(&self, rec: &Record) -> Result<(), StoreError> {
        let dto = serde_json::to_string(&rec.dto)?;
        let res = self.conn().execute(
            "INSERT INTO sandboxes (id, name, dto, created_ms, last_activity_ms, state_changed_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![rec.dto.id, rec.dto.name, dto, rec.created_ms, rec.last_activity_ms, rec.state_changed_ms],
        );
        inserted(res)
    }

    /// Looks a sandbox up by id, then by name.
    pub fn get(&self, id_or_name: &str) -> Result<Option<Record>, StoreError> {
        let conn = self.conn();
        let row = conn
            .query_row(
                "SELECT dto, created_ms, last_activity_ms, state_changed_ms FROM sandboxes WHERE id = ?1 OR name = ?1 ORDER BY id = ?1 DESC LIMIT 1",
                [id_or_name],
                |r| Ok((r.get::<_, String>(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
            )
            .optional()?;
        row.map(to_record).transpose()
    }

    pub fn all(&self) -> Result<Vec<Record>, StoreError> {
        let conn = self.conn();
        let mut stmt = conn.prepare("SELECT dto, created_ms, last_activity_ms, state_changed_ms FROM sandboxes ORDER BY created_ms DESC, id")?;
        let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?;
        rows.map(|r| to_record(r?)).collect()
    }

    pub fn update(&self, rec: &Record) -> Result<(), StoreError> {
        let dto = serde_json::to_string(&rec.dto)?;
        self.conn().execute(
            "UPDATE sandboxes SET dto = ?2, last_activity_ms = ?3, state_changed_ms = ?4 WHERE id = ?1",
            params![rec.dto.id, dto, rec.last_activity_ms, rec.state_changed_ms],
        )?;
        Ok(())
    }

    pub fn delete(&self, id: &str) -> Result<(), StoreError> {
        let conn = self.conn();
        conn.execute("DELETE FROM sandboxes WHERE id = ?1", [id])?;
        conn.execute("DELETE FROM signing_keys WHERE sandbox_id = ?1", [id])?;
        conn.execute("DELETE FROM warm_members WHERE sandbox_id = ?1", [id])?;
        Ok(())
    }

    pub fn insert_warm_pool(&self, dto: &WarmPool, created_ms: i64) -> Result<(), StoreError> {
        self.conn().execute("INSERT INTO warm_pools (id, dto, created_ms) VALUES (?1, ?2, ?3)", params![dto.id, serde_json::to_string(dto)?, created_ms])?;
        Ok(())
    }

    pub fn update_warm_pool(&self, dto: &WarmPool) -> Result<(), StoreError> {
        self.conn().execute("UPDATE warm_pools SET dto = ?2 WHERE id = ?1", params![dto.id, serde_json::to_string(dto)?])?;
        Ok(())
    }

    /// Every warm pool, oldest first (`currentSize` as stored: the caller counts members).
    pub fn warm_pools(&self) -> Result<Vec<WarmPool>, StoreError> {
        self.column("SELECT dto FROM warm_pools ORDER BY created_ms, id", [])?.iter().map(|dto| Ok(serde_json::from_str(dto)?)).collect()
    }

    pub fn delete_warm_pool(&self, id: &str) -> Result<(), StoreError> {
        self.conn().execute("DELETE FROM warm_pools WHERE id = ?1", [id])?;
        Ok(())
    }

    /// Makes a sandbox a waiting member of a pool (hidden from lists until taken).
    pub fn add_warm_member(&self, sandbox_id: &str, pool_id: &str) -> Result<(), StoreError> {
        self.conn().execute("INSERT INTO warm_members (sandbox_id, pool_id) VALUES (?1, ?2)", [sandbox_id, pool_id])?;
        Ok(())
    }

    /// The waiting members of a pool, oldest first.
    pub fn warm_members(&self, pool_id: &str) -> Result<Vec<String>, StoreError> {
        self.column("SELECT sandbox_id FROM warm_members WHERE pool_id = ?1 ORDER BY rowid", [pool_id])
    }

    /// Every waiting member of every pool.
    pub fn all_warm_members(&self) -> Result<std::collections::HashSet<String>, StoreError> {
        Ok(self.column("SELECT sandbox_id FROM warm_members", [])?.into_iter().collect())
    }

    /// Takes a member out of its pool: it is the caller's now. False when another took it.
    pub fn take_warm_member(&self, sandbox_id: &str) -> Result<bool, StoreError> {
        Ok(self.conn().execute("DELETE FROM warm_members WHERE sandbox_id = ?1", [sandbox_id])? == 1)
    }

    /// Records that `id` was forked from `parent_id`. Kept when either is deleted, so the
    /// family tree still reaches past a deleted member.
    pub fn insert_fork(&self, id: &str, parent_id: &str) -> Result<(), StoreError> {
        self.conn().execute("INSERT INTO forks (id, parent_id) VALUES (?1, ?2)", [id, parent_id])?;
        Ok(())
    }

    /// The sandbox `id` was forked from, if any.
    pub fn parent_of(&self, id: &str) -> Result<Option<String>, StoreError> {
        Ok(self.conn().query_row("SELECT parent_id FROM forks WHERE id = ?1", [id], |r| r.get(0)).optional()?)
    }

    /// The sandboxes forked from `id`.
    pub fn forks_of(&self, id: &str) -> Result<Vec<String>, StoreError> {
        self.column("SELECT id FROM forks WHERE parent_id = ?1 ORDER BY rowid", [id])
    }

    /// How many times the sandbox's file-URL signing key was rotated (its keys are derived
    /// from this count, so none is stored).
    pub fn signing_generation(&self, id: &str) -> Result<i64, StoreError> {
        let generation = self.conn().query_row("SELECT generation FROM signing_keys WHERE sandbox_id = ?1", [id], |r| r.get(0)).optional()?;
        Ok(generation.unwrap_or(0))
    }

    /// Moves the sandbox to its next signing key; answers the new generation.
    pub fn rotate_signing_key(&self, id: &str) -> Result<i64, StoreError> {
        let conn = self.conn();
        conn.execute(
            "INSERT INTO signing_keys (sandbox_id, generation) VALUES (?1, 1) ON CONFLICT(sandbox_id) DO UPDATE SET generation = generation + 1",
            [id],
        )?;
        Ok(conn.query_row("SELECT generation FROM signing_keys WHERE sandbox_id = ?1", [id], |r| r.get(0))?)
    }

    pub fn insert_volume(&self, dto: &Volume, created_ms: i64) -> Result<(), StoreError> {
        let json = serde_json::to_string(dto)?;
        let res = self.conn().execute("INSERT INTO volumes (id, name, dto, created_ms) VALUES (?1, ?2, ?3, ?4)", params![dto.id, dto.name, json, created_ms]);
        inserted(res)
    }

    /// Looks a volume up by id, then by name.
    pub fn volume(&self, id_or_name: &str) -> Result<Option<Volume>, StoreError> {
        let conn = self.conn();
        let row: Option<String> =
            conn.query_row("SELECT dto FROM volumes WHERE id = ?1 OR name = ?1 ORDER BY id = ?1 DESC LIMIT 1", [id_or_name], |r| r.get(0)).optional()?;
        Ok(row.map(|dto| serde_json::from_str(&dto)).transpose()?)
    }

    pub fn volumes(&self) -> Result<Vec<Volume>, StoreError> {
        self.column("SELECT dto FROM volumes ORDER BY created_ms DESC, id", [])?.iter().map(|dto| Ok(serde_json::from_str(dto)?)).collect()
    }

    pub fn delete_volume(&self, id: &str) -> Result<(), StoreError> {
        self.conn().execute("DELETE FROM volumes WHERE id = ?1", [id])?;
        Ok(())
    }
}

/// Secrets: the DTO, and the value sealed ([`crate::runtime::vault`]).
impl Store {
    pub fn insert_secret(&self, dto: &Secret, sealed: &[u8]) -> Result<(), StoreError> {
        let json = serde_json::to_string(dto)?;
        inserted(self.conn().execute("INSERT INTO secrets (id, name, dto, sealed) VALUES (?1, ?2, ?3, ?4)", params![dto.id, dto.name, json, sealed]))
    }

    pub fn update_secret(&self, dto: &Secret, sealed: &[u8]) -> Result<(), StoreError> {
        let json = serde_json::to_string(dto)?;
        self.conn().execute("UPDATE secrets SET dto = ?2, sealed = ?3 WHERE id = ?1", params![dto.id, json, sealed])?;
        Ok(())
    }

    pub fn secret(&self, id: &str) -> Result<Option<(Secret, Vec<u8>)>, StoreError> {
        let row: Option<(String, Vec<u8>)> =
            self.conn().query_row("SELECT dto, sealed FROM secrets WHERE id = ?1", [id], |r| Ok((r.get(0)?, r.get(1)?))).optional()?;
        row.map(|(dto, sealed)| Ok((serde_json::from_str(&dto)?, sealed))).transpose()
    }

    pub fn secrets(&self) -> Result<Vec<Secret>, StoreError> {
        self.column("SELECT dto FROM secrets", [])?.iter().map(|dto| Ok(serde_json::from_str(dto)?)).collect()
    }

    /// Whether there was one to delete.
    pub fn delete_secret(&self, id: &str) -> Result<bool, StoreError> {
        Ok(self.conn().execute("DELETE FROM secrets WHERE id = ?1", [id])? > 0)
    }

    pub fn secret_by_name(&self, name: &str) -> Result<Option<Secret>, StoreError> {
        let row: Option<String> = self.conn().query_row("SELECT dto FROM secrets WHERE name = ?1", [name], |r| r.get(0)).optional()?;
        Ok(row.map(|dto| serde_json::from_str(&dto)).transpose()?)
    }

    /// The secrets mounted in a sandbox: (env var, secret id).
    pub fn sandbox_secrets(&self, sandbox_id: &str) -> Result<Vec<(String, String)>, StoreError> {
        let conn = self.conn();
        let mut stmt = conn.prepare("SELECT env, secret_id FROM sandbox_secrets WHERE sandbox_id = ?1 ORDER BY env")?;
        let rows = stmt.query_map([sandbox_id], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<Result<_, _>>()?;
        Ok(rows)
    }

    /// Replaces the secrets mounted in a sandbox (none: it has none).
    pub fn set_sandbox_secrets(&self, sandbox_id: &str, mounts: &[(String, String)]) -> Result<(), StoreError> {
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        tx.execute("DELETE FROM sandbox_secrets WHERE sandbox_id = ?1", [sandbox_id])?;
        for (env, secret_id) in mounts {
            tx.execute("INSERT INTO sandbox_secrets (sandbox_id, env, secret_id) VALUES (?1, ?2, ?3)", params![sandbox_id, env, secret_id])?;
        }
        Ok(tx.commit()?)
    }
}

/// A snapshot as stored: the DTO and the image config its sandboxes start with.
#[derive(Debug, Clone, PartialEq)]
pub struct SnapshotRecord {
    pub dto: Snapshot,
    pub config: ImageConfig,
}

impl Store {
    pub fn insert_snapshot(&self, rec: &SnapshotRecord, created_ms: i64) -> Result<(), StoreError> {
        let (dto, config) = (serde_json::to_string(&rec.dto)?, serde_json::to_string(&rec.config)?);
        let res = self.conn().execute(
            "INSERT INTO snapshots (id, name, dto, config, created_ms) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![rec.dto.id, rec.dto.name, dto, config, created_ms],
        );
        inserted(res)
    }

    pub fn update_snapshot(&self, rec: &SnapshotRecord) -> Result<(), StoreError> {
        let (dto, config) = (serde_json::to_string(&rec.dto)?, serde_json::to_string(&rec.config)?);
        self.conn().execute("UPDATE snapshots SET dto = ?2, config = ?3 WHERE id = ?1", params![rec.dto.id, dto, config])?;
        Ok(())
    }

    /// Looks a snapshot up by id, then by name.
    pub fn snapshot(&self, id_or_name: &str) -> Result<Option<SnapshotRecord>, StoreError> {
        let conn = self.conn();
        let row: Option<(String, String)> = conn
            .query_row("SELECT dto, config FROM snapshots WHERE id = ?1 OR name = ?1 ORDER BY id = ?1 DESC LIMIT 1", [id_or_name], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .optional()?;
        row.map(|(dto, config)| Ok(SnapshotRecord { dto: serde_json::from_str(&dto)?, config: serde_json::from_str(&config)? })).transpose()
    }

    /// Every snapshot, newest first.
    pub fn snapshots(&self) -> Result<Vec<Snapshot>, StoreError> {
        self.column("SELECT dto FROM snapshots ORDER BY created_ms DESC, id", [])?.iter().map(|dto| Ok(serde_json::from_str(dto)?)).collect()
    }

    pub fn delete_snapshot(&self, id: &str) -> Result<(), StoreError> {
        self.conn().execute("DELETE FROM snapshots WHERE id = ?1", [id])?;
        Ok(())
    }
}

fn to_record((dto, created_ms, last_activity_ms, state_changed_ms): (String, i64, i64, i64)) -> Result<Record, StoreError> {
    Ok(Record { dto: serde_json::from_str(&dto)?, created_ms, last_activity_ms, state_changed_ms })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rec(id: &str, name: &str) -> Record {
        Record { dto: Sandbox { id: id.into(), name: name.into(), ..Default::default() }, created_ms: 1, last_activity_ms: 2, state_changed_ms: 3 }
    }

    #[test]
    fn records_survive_reopening_and_names_are_unique() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("db.sqlite");
        {
            let store = Store::open(&path).unwrap();
            store.insert(&rec("a", "alpha")).unwrap();
            assert!(matches!(store.insert(&rec("b", "alpha")), Err(StoreError::NameTaken)));
            let mut r = rec("a", "alpha");
            r.last_activity_ms = 99;
            store.update(&r).unwrap();
        }
        let store = Store::open(&path).unwrap();
        assert_eq!(store.get("alpha").unwrap().unwrap().last_activity_ms, 99);
        assert_eq!(store.get("a").unwrap().unwrap().dto.name, "alpha");
        store.delete("a").unwrap();
        assert!(store.get("a").unwrap().is_none());
    }

    #[test]
    fn volumes_are_found_by_id_or_name_and_names_are_unique() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("db.sqlite")).unwrap();
        let vol = |id: &str, name: &str| Volume { id: id.into(), name: name.into(), state: "ready".into(), ..Default::default() };
        store.insert_volume(&vol("v1", "data"), 1).unwrap();
        assert!(matches!(store.insert_volume(&vol("v2", "data"), 2), Err(StoreError::NameTaken)));
        store.insert_volume(&vol("v3", "other"), 3).unwrap();
        assert_eq!(store.volume("data").unwrap().unwrap().id, "v1");
        assert_eq!(store.volume("v3").unwrap().unwrap().name, "other");
        assert_eq!(store.volumes().unwrap().iter().map(|v| v.id.as_str()).collect::<Vec<_>>(), ["v3", "v1"]);
        store.delete_volume("v1").unwrap();
        assert!(store.volume("data").unwrap().is_none());
    }
}
