//! IndexedDB through the `idb` crate: open the database, read every record, write a save's
//! records in one transaction (or nothing, when another tab wrote one of them since this page
//! read it), and read records back. What is written and how it is read are
//! [`crate::storage::records`]' rules, tested natively; this file only talks to the browser.
//!
//! Records cross into IndexedDB as plain objects (`JSON.parse` of the record's JSON), so the
//! store holds what CouchDB would, and come back through `JSON.stringify`.

pub use ::idb::Database;
use ::idb::{DatabaseEvent, Factory, KeyPath, ObjectStoreParams, TransactionMode};
use wasm_bindgen::JsValue;

use crate::storage::{
    records::{self, Write, ASIDES, DATABASE, DATABASE_VERSION, DOCUMENTS, META, SETS},
    SaveError, StorageError,
};

/// What the browser said, as a [`StorageError`]: the name of the exception it threw
/// (`QuotaExceededError` is a full storage). Only the name is read, so the crate's messages
/// for every kind of error do not come into the page's module.
pub fn refused(e: ::idb::Error) -> StorageError {
    use ::idb::Error as E;
    let thrown = match e {
        E::DomException(d) => Some(d.name()),
        E::UpdateFailed(v) | E::GetFailed(v) | E::GetAllFailed(v) | E::DeleteFailed(v) | E::TransactionOpenFailed(v) | E::ObjectStoreNotFound(v) => {
            js_sys::Reflect::get(&v, &"name".into()).ok().and_then(|n| n.as_string())
        }
        _ => None,
    };
    match thrown.as_deref() {
        Some("QuotaExceededError") => StorageError::Full,
        Some(name) => StorageError::Refused(name.to_owned()),
        None => StorageError::Refused("IndexedDB failed".into()),
    }
}

/// Opens (and on first use creates) the database.
pub async fn open() -> Result<Database, StorageError> {
    let factory = Factory::new().map_err(|_| StorageError::Unavailable)?;
    let mut request = factory.open(DATABASE, Some(DATABASE_VERSION)).map_err(|_| StorageError::Unavailable)?;
    request.on_upgrade_needed(|event| {
        let Ok(db) = event.database() else { return };
        let names = db.store_names();
        for store in [DOCUMENTS, SETS, META, ASIDES] {
            if !names.iter().any(|n| n == store) {
                let key = if store == ASIDES { "key" } else { "_id" };
                let mut params = ObjectStoreParams::new();
                params.key_path(Some(KeyPath::new_single(key)));
                // Inside the upgrade: a failure aborts it, and opening then fails.
                let _ = db.create_object_store(store, params);
            }
        }
    });
    request.await.map_err(|e| match e {
        ::idb::Error::IndexedDbOpenFailed(_) => StorageError::Unavailable,
        e => refused(e),
    })
}

fn text(value: &JsValue) -> Option<String> {
    js_sys::JSON::stringify(value).ok().and_then(|s| s.as_string())
}

fn object(json: &str) -> Result<JsValue, StorageError> {
    js_sys::JSON::parse(json).map_err(|_| StorageError::Refused("a record did not convert".into()))
}

/// Every record of the workspace as stored.
#[derive(Debug, Default)]
pub struct Everything {
    /// The index record.
    pub index: Option<String>,
    /// The migration record, when the `localStorage` workspace was moved here.
    pub migration: Option<String>,
    /// Document records.
    pub documents: Vec<String>,
    /// Set records.
    pub sets: Vec<String>,
    /// Kept-aside records: (key, why, raw).
    pub asides: Vec<(String, String, String)>,
}

impl Everything {
    /// True when nothing was ever saved here.
    pub fn is_empty(&self) -> bool {
        self.index.is_none() && self.migration.is_none() && self.documents.is_empty() && self.sets.is_empty()
    }
}

/// The index and migration records among the meta records, and the kept-aside records as
/// (key, why, raw).
#[allow(clippy::type_complexity)]
fn meta_records(meta: Vec<JsValue>, asides: Vec<JsValue>) -> (Option<String>, Option<String>, Vec<(String, String, String)>) {
    let (mut index, mut migration) = (None, None);
    for value in meta {
        let id = js_sys::Reflect::get(&value, &"_id".into()).ok().and_then(|v| v.as_string());
        match id.as_deref() {
            Some(records::INDEX_ID) => index = text(&value),
            Some(records::MIGRATION_ID) => migration = text(&value),
            _ => {}
        }
    }
    let field = |value: &JsValue, k: &str| js_sys::Reflect::get(value, &k.into()).ok().and_then(|v| v.as_string()).unwrap_or_default();
    let asides = asides.iter().map(|v| (field(v, "key"), field(v, "why"), field(v, "raw"))).collect();
    (index, migration, asides)
}

/// Reads every record, in one read-only transaction.
pub async fn read_all(db: &Database) -> Result<Everything, StorageError> {
    let tx = db.transaction(&[DOCUMENTS, SETS, META, ASIDES], TransactionMode::ReadOnly).map_err(refused)?;
    let all = |store: &str| -> Result<_, StorageError> { tx.object_store(store).map_err(refused)?.get_all(None, None).map_err(refused) };
    let (documents, sets, meta, asides) = (all(DOCUMENTS)?, all(SETS)?, all(META)?, all(ASIDES)?);
    let strings = |values: Vec<JsValue>| values.iter().filter_map(text).collect::<Vec<_>>();
    let mut out = Everything { documents: strings(documents.await.map_err(refused)?), sets: strings(sets.await.map_err(refused)?), ..Everything::default() };
    (out.index, out.migration, out.asides) = meta_records(meta.await.map_err(refused)?, asides.await.map_err(refused)?);
    Ok(out)
}

/// A page of a store's records.
#[derive(Debug, Default)]
pub struct Page {
    /// The records, as stored, but for those held.
    pub raws: Vec<String>,
    /// The id and revision of each record held.
    pub held: Vec<(String, String)>,
    /// The key of the page's last record, where the next page starts after.
    pub last: Option<String>,
}

/// What a start reads first: the meta records, the records kept aside, and whether any
/// document or set record is stored (without reading them).
#[derive(Debug, Default)]
pub struct Opening {
    /// The index record.
    pub index: Option<String>,
    /// The record that says the `localStorage` workspace was moved here.
    pub migration: Option<String>,
    /// Kept-aside records: (key, why, raw).
    pub asides: Vec<(String, String, String)>,
    /// How many document records and set records are stored, tombstones included.
    pub documents: u32,
    /// See `documents`.
    pub sets: u32,
}

impl Opening {
    /// True when nothing was ever saved here.
    pub fn is_empty(&self) -> bool {
        self.index.is_none() && self.migration.is_none() && self.documents == 0 && self.sets == 0
    }
}

/// Reads the meta and kept-aside records and counts the others, in one transaction.
pub async fn read_opening(db: &Database) -> Result<Opening, StorageError> {
    let tx = db.transaction(&[DOCUMENTS, SETS, META, ASIDES], TransactionMode::ReadOnly).map_err(refused)?;
    let store = |name: &str| tx.object_store(name).map_err(refused);
    // Each request's future listens from now on: awaited later, it would miss an answer
    // that came while an earlier one was awaited.
    use std::future::IntoFuture;
    let meta = store(META)?.get_all(None, None).map_err(refused)?.into_future();
    let asides = store(ASIDES)?.get_all(None, None).map_err(refused)?.into_future();
    let documents = store(DOCUMENTS)?.count(None).map_err(refused)?.into_future();
    let sets = store(SETS)?.count(None).map_err(refused)?.into_future();
    let mut out = Opening { documents: documents.await.map_err(refused)?, sets: sets.await.map_err(refused)?, ..Opening::default() };
    (out.index, out.migration, out.asides) = meta_records(meta.await.map_err(refused)?, asides.await.map_err(refused)?);
    Ok(out)
}

/// Up to `limit` records of `store` after the record `after` (from the first when `None`), in
/// the order of their ids: a page of a store read in parts.
/// Records `held` says the page has already are not copied in (a 10,000-span set is
/// megabytes): only their ids and revisions come back, as `held`.
pub async fn read_page(db: &Database, store: &str, after: Option<&str>, limit: u32, held: impl Fn(&str) -> bool) -> Result<Page, StorageError> {
    let tx = db.transaction(&[store], TransactionMode::ReadOnly).map_err(refused)?;
    let query = match after {
        Some(id) => Some(::idb::KeyRange::lower_bound(&JsValue::from_str(id), Some(true)).map_err(refused)?.into()),
        None => None,
    };
    let values = tx.object_store(store).map_err(refused)?.get_all(query, Some(limit)).map_err(refused)?.await.map_err(refused)?;
    // The next page starts after the last record's key (its `_id`, the store's key path),
    // whether or not the record itself can be read.
    let field = |v: &JsValue, k: &str| js_sys::Reflect::get(v, &k.into()).ok().and_then(|x| x.as_string());
    let mut page = Page { last: values.last().and_then(|v| field(v, "_id")), ..Page::default() };
    for value in &values {
        match (field(value, "_id"), field(value, "_rev")) {
            (Some(id), Some(rev)) if held(&id) => page.held.push((id, rev)),
            _ => page.raws.extend(text(value)),
        }
    }
    Ok(page)
}

/// Reads some records: (store, id) each, `None` for those absent.
pub async fn read(db: &Database, wanted: &[(&'static str, String)]) -> Result<Vec<Option<String>>, StorageError> {
    let tx = db.transaction(&[DOCUMENTS, SETS, META], TransactionMode::ReadOnly).map_err(refused)?;
    let mut requests = Vec::with_capacity(wanted.len());
    for (store, id) in wanted {
        requests.push(tx.object_store(store).map_err(refused)?.get(JsValue::from_str(id)).map_err(refused)?);
    }
    let mut out = Vec::with_capacity(requests.len());
    for r in requests {
        out.push(r.await.map_err(refused)?.as_ref().and_then(text));
    }
    Ok(out)
}

/// About how many bytes of records are put in one task.
const BATCH: usize = 256 * 1024;

/// How many records' revisions a save asks for in one task before it writes.
const GETS: usize = 200;

/// Writes a save's records in one transaction, after checking in the same transaction that
/// no other tab wrote any of them since this page read them; `extra` are meta records
/// written with them (the migration's). Nothing is written when one clashes or storage
/// refuses.
pub async fn write(db: &Database, writes: &[Write], extra: &[String]) -> Result<(), SaveError> {
    let tx = db.transaction(&[DOCUMENTS, SETS, META], TransactionMode::ReadWrite).map_err(refused)?;
    let raw: web_sys::IdbTransaction = tx.object_store(META).map_err(refused)?.transaction().into();
    let issued = async {
        // Asked in parts too: the next part is asked when the last answer of the one before
        // has come, in a task of its own (2,000 asked at once held the page for 25 to 130 ms).
        let mut now = Vec::with_capacity(writes.len());
        for part in writes.chunks(GETS) {
            let mut current = Vec::with_capacity(part.len());
            for w in part {
                current.push(tx.object_store(w.store).map_err(refused)?.get(JsValue::from_str(&w.id)).map_err(refused)?);
            }
            for request in current {
                now.push(request.await.map_err(refused)?.as_ref().and_then(text).and_then(|raw| records::rev_of(&raw)));
            }
        }
        if !records::clashes(writes, &now).is_empty() {
            return Err(SaveError::Conflict);
        }
        // Put in batches of about BATCH bytes: each batch goes on when the last put of the
        // one before has succeeded, in a task of its own, so a large save (an import of
        // thousands of articles) leaves the page free between batches. The transaction stays
        // open while puts are pending, so the save is still all or nothing.
        let all = writes.iter().map(|w| (w.store, w.json.as_str())).chain(extra.iter().map(|j| (META, j.as_str())));
        let mut batch = 0;
        for (store, json) in all {
            let put = tx.object_store(store).map_err(refused)?.put(&object(json)?, None).map_err(refused)?;
            batch += json.len();
            if batch >= BATCH {
                batch = 0;
                put.await.map_err(refused)?;
            }
        }
        Ok(())
    }
    .await;
    finish(tx, raw, issued).await
}

/// Ends a read-write transaction: committed, or why not. When issuing its requests failed
/// it is aborted, so nothing of it is written. The reason is the transaction's own error
/// when the browser gave one: a full quota aborts it at commit, or fails a request, and a
/// request failed that way reports only that the transaction was aborted.
async fn finish(tx: ::idb::Transaction, raw: web_sys::IdbTransaction, issued: Result<(), SaveError>) -> Result<(), SaveError> {
    let failed = issued.err();
    let outcome = match failed {
        None => tx.await,
        // Already aborted by the browser, if abort() refuses.
        Some(_) => match tx.abort() {
            Ok(tx) => tx.await,
            Err(_) => Ok(::idb::TransactionResult::Aborted),
        },
    };
    if failed.is_none() && matches!(outcome, Ok(r) if r.is_committed()) {
        return Ok(());
    }
    let why = match raw.error().map(|e| e.name()).as_deref() {
        Some("QuotaExceededError") => StorageError::Full,
        Some(name) if name != "AbortError" => StorageError::Refused(name.to_owned()),
        _ => match failed {
            Some(SaveError::Storage(e)) => e,
            Some(other) => return Err(other),
            None => StorageError::Refused("the save was aborted".into()),
        },
    };
    Err(SaveError::Storage(why))
}

/// Keeps unreadable records aside, each under `key` with why it could not be read.
pub async fn keep_aside(db: &Database, kept: &[(String, String, String)]) -> Result<(), StorageError> {
    let tx = db.transaction(&[ASIDES], TransactionMode::ReadWrite).map_err(refused)?;
    let store = tx.object_store(ASIDES).map_err(refused)?;
    for (key, why, raw) in kept {
        let record = serde_json::json!({ "key": key, "why": why, "raw": raw }).to_string();
        drop(store.put(&object(&record)?, None).map_err(refused)?);
    }
    match tx.await {
        Ok(r) if r.is_committed() => Ok(()),
        Ok(_) => Err(StorageError::Refused("keeping it aside was aborted".into())),
        Err(e) => Err(refused(e)),
    }
}

/// Deletes a record: one kept aside (from [`ASIDES`]) or, once the user has its copy, an
/// unreadable one that could not be kept aside.
pub async fn delete(db: &Database, store: &str, key: &str) -> Result<(), StorageError> {
    let tx = db.transaction(&[store], TransactionMode::ReadWrite).map_err(refused)?;
    drop(tx.object_store(store).map_err(refused)?.delete(JsValue::from_str(key)).map_err(refused)?);
    match tx.await {
        Ok(r) if r.is_committed() => Ok(()),
        Ok(_) => Err(StorageError::Refused("the deletion was aborted".into())),
        Err(e) => Err(refused(e)),
    }
}
