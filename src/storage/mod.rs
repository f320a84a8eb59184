//! What is saved in the browser, and how it is read back: the record ([`encode`],
//! [`restore`]), and the rules of saving, reading and two tabs ([`Saver`]) over any
//! key-value [`Backend`]. The browser's `localStorage` is one backend, in the shell
//! (`services::storage`); [`MemoryBackend`] is its twin, so every rule is tested natively.
//!
//! The workspace is saved under [`KEY`] as a small envelope around Spanwright JSON:
//! `{"storage": 2, "generation": N, "saved_at": "…", "workspace": {…}}`. `storage` is the
//! layout of this record and is migrated forward on load ([`STORAGE_VERSION`]; version 1 was
//! the bare workspace JSON written by the first builds). `generation` counts saves, so a tab
//! can tell that another tab saved since it last looked ([`Saver`] keeps the count beside the
//! record, under [`GENERATION_KEY`]).
//!
//! Restoring never loses data: if the saved text cannot be read (corrupt, half written, or
//! written by a newer Spanwright), the shell copies it untouched to a key of its own under
//! [`ASIDE_PREFIX`] before anything is written, offers it for download, and the app starts
//! from the bundled articles and says so.

mod backend;
pub mod records;
mod saver;

pub use backend::{Backend, MemoryBackend, StorageError};
pub use saver::{Aside, SaveError, Saved, Saver, Setting, TabSync};

use serde_json::{json, Value};

use crate::{
    formats::native,
    model::{Document, Workspace},
};

/// Where the workspace is saved.
pub const KEY: &str = "spanwright.workspace";
/// The save count of the record under [`KEY`], kept apart so checking it costs nothing.
pub const GENERATION_KEY: &str = "spanwright.generation";
/// Which set is shown on each document, as this browser keeps it beside the records
/// (JSON: document id to set id).
pub const ACTIVE_KEY: &str = "spanwright.active";
/// Saved text that could not be read is kept, untouched, under this prefix and the time.
pub const ASIDE_PREFIX: &str = "spanwright.aside.";
/// The generations of the last workspace download and of the last "Not now" to the backup
/// reminder, as `{"downloaded": N, "dismissed": M}`.
pub const BACKUP_KEY: &str = "spanwright.backup";
/// The name of who annotates in this browser, for the sets they create.
pub const ANNOTATOR_KEY: &str = "spanwright.annotator";
/// The user's gazetteer for suggestions, as `text<TAB>label[<TAB>type]` lines by id.
pub const GAZETTEER_KEY: &str = "spanwright.gazetteer";
/// The user's extra speech verbs for quotation cues, comma-separated as typed.
pub const SPEECH_VERBS_KEY: &str = "spanwright.speech-verbs";
/// Adjudication decisions are kept under this prefix plus the document id and the sets'
/// ids, so that an adjudication left half done goes on where it stopped.
pub const ADJUDICATION_PREFIX: &str = "spanwright.adjudication.";
/// Saves since the last download before the app suggests a backup.
pub const REMIND_AFTER: u64 = 20;
/// Saves after a "Not now" before it suggests one again.
pub const REMIND_AGAIN_AFTER: u64 = 100;

/// How many saved changes are in no downloaded backup, when that is worth a reminder: the
/// workspace holds spans, at least [`REMIND_AFTER`] changes were made since the last
/// download, and, if the user said "Not now", [`REMIND_AGAIN_AFTER`] more since then.
pub fn backup_reminder(generation: u64, downloaded: u64, dismissed: u64, spans: usize) -> Option<u64> {
    let unbacked = generation.saturating_sub(downloaded);
    let quiet = if dismissed > downloaded { generation.saturating_sub(dismissed) < REMIND_AGAIN_AFTER } else { unbacked < REMIND_AFTER };
    (spans > 0 && !quiet).then_some(unbacked)
}

/// What `localStorage` holds for one site in Chromium and Firefox: 5 MiB of UTF-16 code
/// units, keys and values together. Texts of more code points than that cannot be saved
/// whatever else the workspace holds: the record carries every text at least once, and a
/// code point is at least one UTF-16 unit. (Texts under it may still not fit; the save says
/// so.)
pub const LOCAL_STORAGE_UNITS: usize = 5 * 1024 * 1024;

/// The layout of the saved record that this build writes.
pub const STORAGE_VERSION: u64 = 2;

/// The record to save.
pub fn encode(ws: &Workspace, generation: u64, at: &str) -> String {
    // Written around the native JSON rather than through a `Value`, so a large workspace is
    // serialised once.
    format!("{{\"storage\":{STORAGE_VERSION},\"generation\":{generation},\"saved_at\":{},\"workspace\":{}}}", json!(at), native::save_workspace_compact(ws))
}

/// The workspace to start from, and what went wrong on the way, if anything.
#[derive(Debug)]
pub struct Restored {
    /// The workspace.
    pub workspace: Workspace,
    /// A message for the user when the saved state was unreadable or partly refused.
    pub problem: Option<String>,
    /// True when the saved text must be kept aside before the app saves over it.
    pub keep_aside: bool,
    /// The save count read, 0 when nothing was saved or it could not be read.
    pub generation: u64,
}

/// Why saved text cannot be read, or the native JSON inside it (migrated to this build's
/// layout) and its generation. The workspace is taken as a slice of the saved text, not
/// parsed twice.
pub fn unwrap_record(saved: &str) -> Result<(&str, u64), String> {
    #[derive(serde::Deserialize)]
    struct Envelope<'a> {
        #[serde(default)]
        storage: Option<Value>,
        #[serde(default)]
        generation: Option<u64>,
        #[serde(borrow, default)]
        workspace: Option<&'a serde_json::value::RawValue>,
        #[serde(default)]
        format: Option<serde::de::IgnoredAny>,
    }
    let not_record = || "it is not a Spanwright record (no \"storage\" version)".to_owned();
    let record: Envelope<'_> = match serde_json::from_str(saved) {
        Ok(r) if saved.trim_start().starts_with('{') => r,
        Ok(_) => return Err(not_record()),
        Err(e) if e.is_data() => return Err(not_record()),
        Err(e) => {
            return Err(format!(
                "it is not complete JSON (line {}, column {}: {}); it may have been cut off while saving",
                e.line(),
                e.column(),
                strip_at(&e.to_string())
            ))
        }
    };
    match record.storage {
        // Version 1: the bare workspace, as the first builds saved it.
        None if record.format.is_some() => Ok((saved, 0)),
        None => Err(not_record()),
        Some(v) => match v.as_u64() {
            Some(STORAGE_VERSION) => {
                let ws = record.workspace.ok_or("the record has no \"workspace\"")?;
                Ok((ws.get(), record.generation.unwrap_or(0)))
            }
            Some(n) if n > STORAGE_VERSION => Err(format!(
                "it was saved by a newer Spanwright (storage version {n}; this one reads up to {STORAGE_VERSION}); open it with the newer version, or download it"
            )),
            _ => Err(format!("its storage version {v} is not one Spanwright ever wrote")),
        },
    }
}

fn strip_at(message: &str) -> &str {
    message.rfind(" at line ").map_or(message, |i| &message[..i])
}

/// Rebuilds the workspace from what was saved (if anything) and the bundled articles, which
/// are always present.
pub fn restore(saved: Option<&str>, bundled: Vec<Document>) -> Restored {
    let fresh = |problem: Option<String>, keep_aside| Restored { workspace: Workspace::with_documents(bundled.clone()), problem, keep_aside, generation: 0 };
    let Some(saved) = saved else { return fresh(None, false) };
    // A record of this build's layout is read in one pass, workspace and all. Anything else,
    // or anything wrong, is read again the long way, which migrates older layouts and says
    // what is wrong.
    if let Some((loaded, generation)) = read_current(saved) {
        return restored(loaded, bundled, generation);
    }
    let (inner, generation) = match unwrap_record(saved) {
        Ok(x) => x,
        Err(why) => return fresh(Some(format!("Your saved work could not be read: {why}. It was kept aside, untouched, and can be downloaded below.")), true),
    };
    match native::load(inner, &[]) {
        Ok(loaded) => restored(loaded, bundled, generation),
        Err(e) => fresh(Some(format!("Your saved work could not be read ({e}). It was kept aside, untouched, and can be downloaded below.")), true),
    }
}

/// A good record of the current layout, read in one pass; `None` for anything else.
fn read_current(saved: &str) -> Option<(native::Loaded, u64)> {
    #[derive(serde::Deserialize)]
    struct Current {
        storage: u64,
        #[serde(default)]
        generation: Option<u64>,
        workspace: native::WireFile,
    }
    if !saved.trim_start().starts_with('{') {
        return None;
    }
    let record: Current = serde_json::from_str(saved).ok()?;
    if record.storage != STORAGE_VERSION {
        return None;
    }
    let loaded = native::from_wire(record.workspace, &[]).ok()?;
    Some((loaded, record.generation.unwrap_or(0)))
}

/// The workspace from a loaded record, with every bundled article it lacks.
fn restored(loaded: native::Loaded, bundled: Vec<Document>, generation: u64) -> Restored {
    let refused = loaded.imported.refused.clone();
    let mut ws = loaded.into_workspace();
    for doc in bundled {
        if ws.document(&doc.id).is_none() {
            let index = ws.documents().len();
            ws.insert_document(index, doc.into()).expect("id checked absent");
        }
    }
    let problem = (!refused.is_empty()).then(|| {
        let list: Vec<String> = refused.iter().take(5).map(|p| p.to_string()).collect();
        format!(
            "Some saved annotations could not be read and were left out ({}); the saved copy was kept aside and can be downloaded below. {}",
            refused.len(),
            list.join("; ")
        )
    });
    Restored { workspace: ws, keep_aside: problem.is_some(), problem, generation }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{fixture, seeds};

    #[test]
    fn nothing_saved_starts_from_the_seeds() {
        let r = restore(None, seeds::documents());
        assert_eq!(r.workspace.documents().len(), 2);
        assert!(r.problem.is_none());
    }

    #[test]
    fn saved_work_comes_back_with_the_seeds_and_its_generation() {
        let ws = fixture::workspace("[quote:Acme] x");
        let r = restore(Some(&encode(&ws, 41, "2026-11-23T00:00:00Z")), seeds::documents());
        assert_eq!(r.workspace.documents().len(), 3);
        assert_eq!(r.workspace.set("set"), ws.set("set"));
        assert_eq!(r.generation, 41);
        assert!(!r.keep_aside);
    }

    #[test]
    fn the_one_pass_read_takes_good_current_records_and_agrees_with_the_long_way() {
        let ws = fixture::workspace("[quote:Acme] x [claim:rose] y");
        let good = encode(&ws, 7, "2026-11-23T00:00:00Z");
        assert!(read_current(&good).is_some());
        // A span whose text no longer matches is refused alone, on either path, the same way.
        let partly = good.replace("\"text\":\"rose\"", "\"text\":\"rise\"");
        assert_ne!(partly, good);
        let (inner, generation) = unwrap_record(&partly).unwrap();
        let long = restored(native::load(inner, &[]).unwrap(), seeds::documents(), generation);
        let short = restore(Some(&partly), seeds::documents());
        assert!(short.problem.as_deref().is_some_and(|p| p.contains("does not match the document")), "{:?}", short.problem);
        assert_eq!((&short.problem, short.keep_aside, short.generation), (&long.problem, long.keep_aside, long.generation));
        assert_eq!(short.workspace.set("set"), long.workspace.set("set"));
        // Older layouts, newer ones and damaged records go the long way.
        for other in [native::save_workspace(&ws), good.replace("\"storage\":2", "\"storage\":3"), good[..good.len() - 1].to_owned()] {
            assert!(read_current(&other).is_none(), "{other}");
        }
    }

    #[test]
    fn backups_are_suggested_without_nagging() {
        assert_eq!(backup_reminder(19, 0, 0, 5), None);
        assert_eq!(backup_reminder(20, 0, 0, 5), Some(20));
        assert_eq!(backup_reminder(50, 0, 0, 0), None, "nothing to lose yet");
        assert_eq!(backup_reminder(50, 45, 0, 5), None, "downloaded recently");
        assert_eq!(backup_reminder(70, 45, 0, 5), Some(25));
        assert_eq!(backup_reminder(70, 45, 70, 5), None, "just said Not now");
        assert_eq!(backup_reminder(169, 45, 70, 5), None);
        assert_eq!(backup_reminder(170, 45, 70, 5), Some(125));
    }

    #[test]
    fn the_texts_code_points_are_a_floor_of_the_records_size() {
        let ws = Workspace::with_documents([Document::new("d", "é🙂x".repeat(1000), crate::model::Origin::User)]);
        let chars: usize = ws.documents().iter().map(|d| d.text.chars().count()).sum();
        assert!(encode(&ws, 1, "2026-01-01T00:00:00Z").encode_utf16().count() > chars);
    }

    #[test]
    fn version_1_records_are_migrated() {
        // What the first builds saved: the bare workspace JSON.
        let ws = fixture::workspace("[quote:Acme] x");
        let r = restore(Some(&native::save_workspace(&ws)), seeds::documents());
        assert_eq!(r.workspace.set("set"), ws.set("set"));
        assert!(r.problem.is_none());
        assert_eq!(r.generation, 0);
    }

    #[test]
    fn unreadable_saves_are_kept_aside_and_explained() {
        let ws = fixture::workspace("[quote:Acme] x");
        let good = encode(&ws, 3, "2026-11-23T00:00:00Z");
        let cases = [
            (good[..good.len() / 2].to_owned(), "it is not complete JSON (line "),
            (good.replace("\"storage\":2", "\"storage\":3"), "it was saved by a newer Spanwright (storage version 3; this one reads up to 2)"),
            (good.replace("\"version\":1", "\"version\":7"), "format version 7 is not supported"),
            ("[1, 2]".to_owned(), "it is not a Spanwright record"),
            ("{\"storage\": 0}".to_owned(), "its storage version 0 is not one Spanwright ever wrote"),
        ];
        for (saved, why) in cases {
            let r = restore(Some(&saved), seeds::documents());
            assert!(r.keep_aside, "{saved}");
            assert_eq!(r.workspace.documents().len(), 2);
            let problem = r.problem.unwrap();
            assert!(problem.contains(why), "{problem}");
            assert!(problem.contains("kept aside"), "{problem}");
        }
    }
}
