//! Uploaded files and the expiring links they are served from.

use rusqlite::{params, OptionalExtension};

use super::expiry::FILE_ALIVE;
use super::{now_secs, Store, StoreResult, StoredFile};

impl Store {
    /// Stores an uploaded file under `key`.
    pub fn add_file(
        &self,
        key: &str,
        file: &StoredFile,
        text: &str,
        ttl_days: Option<i64>,
    ) -> StoreResult<()> {
        self.conn().execute(
            "INSERT OR REPLACE INTO files (key, filename, mimetype, bytes, text, ttl_days, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![key, file.filename, file.mimetype, file.bytes, text, ttl_days, now_secs()],
        )?;
        Ok(())
    }

    /// Issues a download token for a stored file, valid until `expires_at` (epoch seconds).
    pub fn add_file_link(&self, file_key: &str, expires_at: i64) -> StoreResult<Option<String>> {
        let conn = self.conn();
        let exists: Option<i64> = conn
            .query_row(
                &format!("SELECT 1 FROM files f WHERE f.key = ?1 AND {FILE_ALIVE}"),
                params![file_key, now_secs()],
                |r| r.get(0),
            )
            .optional()?;
        if exists.is_none() {
            return Ok(None);
        }
        let token = uuid::Uuid::new_v4().simple().to_string();
        conn.execute(
            "INSERT INTO file_links (token, file_key, expires_at) VALUES (?1, ?2, ?3)",
            params![token, file_key, expires_at],
        )?;
        Ok(Some(token))
    }

    /// The file behind a download token that has not expired, while the file is within its TTL.
    pub fn file_by_link(&self, token: &str) -> StoreResult<Option<StoredFile>> {
        Ok(self
            .conn()
            .query_row(
                &format!(
                    "SELECT f.filename, f.mimetype, f.bytes FROM file_links l JOIN files f ON f.key = l.file_key
                     WHERE l.token = ?1 AND l.expires_at > ?2 AND {FILE_ALIVE}"
                ),
                params![token, now_secs()],
                |row| Ok(StoredFile { filename: row.get(0)?, mimetype: row.get(1)?, bytes: row.get(2)? }),
            )
            .optional()?)
    }
}
