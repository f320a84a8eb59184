//! The rules of keeping the workspace in a [`Backend`]: read once at start, written after
//! changes, unreadable records kept aside, and two tabs that never overwrite each other.
//!
//! Two tabs: every save bumps a generation count kept under [`GENERATION_KEY`]. A tab only
//! saves over the generation it last read or wrote; if another tab saved in between, the save
//! is refused as a [`SaveError::Conflict`] and the user chooses, so no tab silently overwrites
//! another. Each tab (page) has its own `Saver` over the same storage.

use std::cell::Cell;

use super::{
    encode, restore, Backend, StorageError, ADJUDICATION_PREFIX, ANNOTATOR_KEY, ASIDE_PREFIX, BACKUP_KEY, GAZETTEER_KEY, GENERATION_KEY, KEY, SPEECH_VERBS_KEY,
};
use std::collections::BTreeMap;

use crate::{
    agreement::adjudicate::{decode_decisions, encode_decisions, Decision},
    model::{Document, Workspace},
};

/// A suggestion setting kept in this browser, beside the workspace rather than in it: a
/// gazetteer and speech verbs are the annotator's own tools, not annotations to share.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Setting {
    /// The gazetteer, as kept after import.
    Gazetteer,
    /// The extra speech verbs, as typed.
    SpeechVerbs,
}

impl Setting {
    fn key(self) -> &'static str {
        match self {
            Setting::Gazetteer => GAZETTEER_KEY,
            Setting::SpeechVerbs => SPEECH_VERBS_KEY,
        }
    }
}

fn decisions_key(doc: &str, sets: &[String]) -> String {
    // As JSON, so no id can run into the next whatever it holds.
    format!("{ADJUDICATION_PREFIX}{}", serde_json::to_string(&(doc, sets)).expect("strings serialise"))
}

/// Why a save did not happen.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum SaveError {
    /// Another tab saved since this one last read or wrote.
    #[error("another tab saved changes since this one last did")]
    Conflict,
    /// Unreadable saved work could not be kept aside, so saving over it waits.
    #[error("saving is paused until the unreadable saved work below is downloaded and deleted")]
    Paused,
    /// Another tab opened a newer Spanwright (which needs the database to itself), or the
    /// site's data is being cleared: this page let go of the database.
    #[error("a newer Spanwright was opened in another tab, or this site's data is being cleared, so this tab let go of its storage. Reload it to go on: what it had not saved is kept for the next start")]
    Superseded,
    /// Storage refused.
    #[error(transparent)]
    Storage(#[from] StorageError),
}

/// Whether this page's work is in storage: the one place the shell keeps it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Saved {
    /// Nothing to save, or the last save worked.
    Yes,
    /// A change waits for its save.
    Pending,
    /// The last save failed; the message says why in words a user can act on.
    No(String),
    /// Another tab saved while this one held unsaved changes.
    Conflict,
}

impl Saved {
    /// The status after a save.
    pub fn after(result: Result<(), SaveError>) -> Saved {
        match result {
            Ok(()) => Saved::Yes,
            Err(SaveError::Conflict) => Saved::Conflict,
            Err(e) => Saved::No(e.to_string()),
        }
    }

    /// True when this page holds work that storage does not (waiting, failed or in conflict).
    pub fn holds_unsaved_work(&self) -> bool {
        *self != Saved::Yes
    }
}

/// What a page does when another tab saved the workspace.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TabSync {
    /// Take the other tab's work: this page has nothing unsaved.
    Adopt,
    /// Let the user choose: this page holds changes storage does not have.
    Conflict,
}

impl TabSync {
    /// The rule: adopt the other tab's save unless this page holds unsaved work.
    pub fn when_another_tab_saved(saved: &Saved) -> TabSync {
        if saved.holds_unsaved_work() {
            TabSync::Conflict
        } else {
            TabSync::Adopt
        }
    }
}

/// Saved text kept aside because it could not be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Aside {
    /// Its storage key.
    pub key: String,
    /// The text, untouched.
    pub raw: String,
    /// Why it could not be read.
    pub why: String,
}

/// One page's view of the saved workspace.
#[derive(Debug)]
pub struct Saver<B> {
    backend: B,
    /// The generation this page last read or wrote.
    generation: Cell<u64>,
    /// True when unreadable saved work could not be copied aside: saving over it is paused.
    hold: Cell<bool>,
    /// The backup record, once read: (downloaded, dismissed) generations.
    backup: Cell<Option<(u64, u64)>>,
}

impl<B: Backend> Saver<B> {
    /// A saver over `backend`; nothing is read until [`Saver::load`].
    pub fn new(backend: B) -> Self {
        Saver { backend, generation: Cell::new(0), hold: Cell::new(false), backup: Cell::new(None) }
    }

    /// The storage underneath.
    pub fn backend(&self) -> &B {
        &self.backend
    }

    /// The workspace to start with (the bundled articles plus what was saved), and a problem
    /// to show, if any. Unreadable saved text is copied under [`ASIDE_PREFIX`] and the time
    /// `at` before anything can overwrite it; if there is no room for the copy, saving pauses.
    pub fn load(&self, bundled: Vec<Document>, at: &str) -> (Workspace, Option<String>) {
        let saved = match self.backend.get(KEY) {
            Ok(saved) => saved,
            Err(e) => {
                return (Workspace::with_documents(bundled), Some(format!("Your work cannot be saved: {e}. Download it before closing the tab.")));
            }
        };
        let restored = restore(saved.as_deref(), bundled);
        self.generation.set(self.stored_generation());
        if restored.keep_aside {
            if let Some(raw) = &saved {
                let already = self.asides().iter().any(|a| &a.raw == raw);
                if !already && self.backend.set(&format!("{ASIDE_PREFIX}{at}"), raw).is_err() {
                    self.hold.set(true);
                    return (restored.workspace, Some("Your saved work could not be read, and there is no room to keep a copy of it aside; saving is paused so it is not overwritten. Download it below, then delete it to save again.".into()));
                }
            }
        }
        (restored.workspace, restored.problem)
    }

    fn stored_generation(&self) -> u64 {
        self.backend.get(GENERATION_KEY).ok().flatten().and_then(|g| g.parse().ok()).unwrap_or(0)
    }

    /// Saves the workspace at time `at`, unless another tab saved since this one last did.
    pub fn save(&self, ws: &Workspace, at: &str) -> Result<(), SaveError> {
        if self.hold.get() {
            return Err(SaveError::Paused);
        }
        let current = self.backend.get(GENERATION_KEY)?.and_then(|g| g.parse().ok()).unwrap_or(0);
        if current != self.generation.get() {
            return Err(SaveError::Conflict);
        }
        let next = current + 1;
        self.backend.set(KEY, &encode(ws, next, at))?;
        self.backend.set(GENERATION_KEY, &next.to_string())?;
        self.generation.set(next);
        Ok(())
    }

    /// Reads the save count other tabs share (at start, when the workspace is not read here).
    pub fn read_generation(&self) {
        self.generation.set(self.stored_generation());
    }

    /// Counts a save made elsewhere (the records in IndexedDB), for the backup reminder:
    /// the generation goes up by one, shared with other tabs.
    pub fn count_save(&self) {
        let next = self.stored_generation().max(self.generation.get()) + 1;
        if self.backend.set(GENERATION_KEY, &next.to_string()).is_ok() {
            self.generation.set(next);
        }
    }

    /// True when `key` (of a storage event from another tab) means another tab saved.
    pub fn is_save_by_another_tab(key: Option<&str>) -> bool {
        key.is_none_or(|k| k == GENERATION_KEY)
    }

    /// The workspace as another tab just saved it, taking its generation as this page's.
    /// The bundled articles come with it, as at start.
    pub fn reload(&self, bundled: Vec<Document>) -> Result<Workspace, String> {
        let saved = self.backend.get(KEY).map_err(|e| e.to_string())?;
        // No record at all: another tab cleared the site's storage (or it was cleared in the
        // browser's settings). Taking "nothing" would replace this page's work with the
        // bundled articles; keep it and say so.
        let Some(saved) = saved else {
            return Err("the saved workspace is gone from this browser's storage (another tab or the browser cleared it); this tab's work is kept here, so use Download JSON to keep a copy".into());
        };
        let restored = restore(Some(&saved), bundled);
        if let Some(problem) = restored.problem {
            return Err(problem);
        }
        self.generation.set(restored.generation.max(self.stored_generation()));
        Ok(restored.workspace)
    }

    /// Everything kept aside, oldest first; while saving is paused, the unreadable record
    /// itself.
    pub fn asides(&self) -> Vec<Aside> {
        let Ok(mut keys) = self.backend.keys() else { return Vec::new() };
        keys.retain(|k| k.starts_with(ASIDE_PREFIX) || (k == KEY && self.hold.get()));
        keys.sort();
        keys.into_iter()
            .filter_map(|key| {
                let raw = self.backend.get(&key).ok().flatten()?;
                let why = restore(Some(&raw), Vec::new()).problem.unwrap_or_else(|| "it could not be read".into());
                Some(Aside { key, raw, why })
            })
            .collect()
    }

    /// Deletes one kept-aside copy (after the user chose to). Deleting the unreadable record
    /// itself resumes saving.
    pub fn discard(&self, key: &str) -> Result<(), StorageError> {
        self.backend.remove(key)?;
        if key == KEY {
            self.hold.set(false);
            self.generation.set(self.stored_generation());
        }
        Ok(())
    }

    /// The generation this page last read or wrote.
    pub fn generation(&self) -> u64 {
        self.generation.get()
    }

    /// (downloaded, dismissed) generations of the backup record, read from storage once (the
    /// reminder asks on every render) and again after [`Saver::forget_backup_marks`].
    pub fn backup_marks(&self) -> (u64, u64) {
        if let Some(marks) = self.backup.get() {
            return marks;
        }
        let record = self.backend.get(BACKUP_KEY).ok().flatten();
        let value: serde_json::Value = record.and_then(|r| serde_json::from_str(&r).ok()).unwrap_or_default();
        let get = |k: &str| value.get(k).and_then(serde_json::Value::as_u64).unwrap_or(0);
        let marks = (get("downloaded"), get("dismissed"));
        self.backup.set(Some(marks));
        marks
    }

    /// True when `key` (of a storage event from another tab) is the backup record.
    pub fn is_backup_key(key: Option<&str>) -> bool {
        key == Some(BACKUP_KEY)
    }

    /// Another tab changed the backup record: read it again when next asked.
    pub fn forget_backup_marks(&self) {
        self.backup.set(None);
    }

    fn set_backup_marks(&self, downloaded: u64, dismissed: u64) -> Result<(), StorageError> {
        self.backup.set(Some((downloaded, dismissed)));
        self.backend.set(BACKUP_KEY, &serde_json::json!({ "downloaded": downloaded, "dismissed": dismissed }).to_string())
    }

    /// Who annotates in this browser, as last given ("" when never).
    pub fn annotator(&self) -> String {
        self.backend.get(ANNOTATOR_KEY).ok().flatten().unwrap_or_default()
    }

    /// Remembers who annotates in this browser.
    pub fn remember_annotator(&self, name: &str) -> Result<(), StorageError> {
        self.backend.set(ANNOTATOR_KEY, name.trim())
    }

    /// A per-browser suggestion setting: the gazetteer ([`GAZETTEER_KEY`]) or the extra
    /// speech verbs ([`SPEECH_VERBS_KEY`]); "" when never given.
    pub fn setting(&self, key: Setting) -> String {
        self.backend.get(key.key()).ok().flatten().unwrap_or_default()
    }

    /// Keeps a per-browser suggestion setting.
    pub fn remember_setting(&self, key: Setting, value: &str) -> Result<(), StorageError> {
        self.backend.set(key.key(), value)
    }

    /// The decisions of the adjudication of these sets of `doc`, as taken so far (none when
    /// nothing was kept or what was kept does not read).
    pub fn decisions(&self, doc: &str, sets: &[String]) -> BTreeMap<String, Decision> {
        let key = decisions_key(doc, sets);
        self.backend.get(&key).ok().flatten().map(|text| decode_decisions(&text)).unwrap_or_default()
    }

    /// Keeps the decisions of the adjudication of these sets of `doc`.
    pub fn remember_decisions(&self, doc: &str, sets: &[String], decisions: &BTreeMap<String, Decision>) -> Result<(), StorageError> {
        self.backend.set(&decisions_key(doc, sets), &encode_decisions(decisions))
    }

    /// The workspace as it is now was downloaded.
    pub fn mark_downloaded(&self) -> Result<(), StorageError> {
        let (_, dismissed) = self.backup_marks();
        self.set_backup_marks(self.generation(), dismissed)
    }

    /// The user said "Not now" to the backup reminder.
    pub fn dismiss_backup(&self) -> Result<(), StorageError> {
        let (downloaded, _) = self.backup_marks();
        self.set_backup_marks(downloaded, self.generation())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{fixture, seeds, storage::MemoryBackend};

    const T: &str = "2026-11-24T00:00:00Z";

    fn tab(storage: &MemoryBackend) -> (Saver<MemoryBackend>, Workspace) {
        let saver = Saver::new(storage.clone());
        let (ws, problem) = saver.load(seeds::documents(), T);
        assert_eq!(problem, None);
        (saver, ws)
    }

    #[test]
    fn a_save_comes_back_on_the_next_start() {
        let storage = MemoryBackend::new();
        let (saver, _) = tab(&storage);
        let ws = fixture::workspace("[quote:Acme] grows");
        saver.save(&ws, T).unwrap();
        saver.save(&ws, T).unwrap();
        assert_eq!(saver.generation(), 2);
        let (again, ws2) = tab(&storage);
        assert_eq!(ws2.set("set"), ws.set("set"));
        assert_eq!(again.generation(), 2);
    }

    #[test]
    fn two_tabs_never_overwrite_each_other() {
        let storage = MemoryBackend::new();
        let (a, _) = tab(&storage);
        let (b, _) = tab(&storage);
        let ours = fixture::workspace("[quote:Acme] grows");
        let theirs = fixture::workspace("[claim:Acme] grows");
        a.save(&ours, T).unwrap();
        // B last read generation 0; A saved 1 since: B's save is refused, A's work stays.
        let status = Saved::after(b.save(&theirs, T));
        assert_eq!(status, Saved::Conflict);
        assert_eq!(TabSync::when_another_tab_saved(&status), TabSync::Conflict);
        assert!(Saver::<MemoryBackend>::is_save_by_another_tab(Some(GENERATION_KEY)));
        assert_eq!(tab(&storage).1.set("set"), ours.set("set"));
        // B takes A's work (the user chose to); then B saves on top of it, and A is refused.
        let taken = b.reload(seeds::documents()).unwrap();
        assert_eq!(taken.set("set"), ours.set("set"));
        b.save(&theirs, T).unwrap();
        assert_eq!(TabSync::when_another_tab_saved(&Saved::Yes), TabSync::Adopt);
        assert_eq!(TabSync::when_another_tab_saved(&Saved::Pending), TabSync::Conflict, "a change waiting for its save is unsaved work");
        assert_eq!(a.save(&ours, T), Err(SaveError::Conflict));
        assert_eq!(tab(&storage).1.set("set"), theirs.set("set"));
    }

    #[test]
    fn cleared_storage_is_not_taken_for_another_tabs_work() {
        let storage = MemoryBackend::new();
        let (saver, _) = tab(&storage);
        saver.save(&fixture::workspace("[quote:Acme] grows"), T).unwrap();
        storage.remove(KEY).unwrap();
        storage.remove(GENERATION_KEY).unwrap();
        assert!(Saver::<MemoryBackend>::is_save_by_another_tab(None), "localStorage.clear() fires a storage event without a key");
        let err = saver.reload(seeds::documents()).unwrap_err();
        assert!(err.contains("this tab's work is kept here"), "{err}");
    }

    #[test]
    fn a_full_storage_loses_nothing_already_saved() {
        let storage = MemoryBackend::with_quota(40_000);
        let (saver, _) = tab(&storage);
        let small = fixture::workspace("[quote:Acme] grows");
        saver.save(&small, T).unwrap();
        let big = fixture::workspace(&"[claim:Acme grows] and ".repeat(2_000));
        assert_eq!(Saved::after(saver.save(&big, T)), Saved::No("browser storage is full".into()));
        assert_eq!(tab(&storage).1.set("set"), small.set("set"), "the last good save is intact");
    }

    #[test]
    fn disabled_storage_is_said_at_start_and_on_save() {
        let saver = Saver::new(MemoryBackend::disabled());
        let (ws, problem) = saver.load(seeds::documents(), T);
        assert_eq!(ws.documents().len(), 2);
        assert_eq!(
            problem.as_deref(),
            Some("Your work cannot be saved: browser storage is disabled (private mode or site settings). Download it before closing the tab.")
        );
        assert_eq!(saver.save(&ws, T).unwrap_err().to_string(), "browser storage is disabled (private mode or site settings)");
    }

    #[test]
    fn unreadable_work_is_kept_aside_once_and_saving_pauses_when_it_cannot_be() {
        let storage = MemoryBackend::new();
        storage.set(KEY, "{\"storage\": 2, \"workspace\": {").unwrap();
        let saver = Saver::new(storage.clone());
        let (_, problem) = saver.load(seeds::documents(), T);
        assert!(problem.unwrap().contains("kept aside"));
        let asides = saver.asides();
        assert_eq!(asides.len(), 1);
        assert_eq!(asides[0].key, format!("{ASIDE_PREFIX}{T}"));
        assert_eq!(asides[0].raw, "{\"storage\": 2, \"workspace\": {");
        // Loading again does not copy it twice.
        Saver::new(storage.clone()).load(seeds::documents(), "later");
        assert_eq!(saver.asides().len(), 1);
        saver.discard(&asides[0].key).unwrap();
        assert!(saver.asides().is_empty());

        // No room for the copy: saving pauses, and the record itself is offered.
        let tight = MemoryBackend::with_quota(60);
        tight.set(KEY, "{\"storage\": 2, \"workspace\": {").unwrap();
        let saver = Saver::new(tight.clone());
        let (ws, problem) = saver.load(seeds::documents(), T);
        assert!(problem.unwrap().contains("saving is paused"));
        assert_eq!(saver.save(&ws, T), Err(SaveError::Paused));
        assert_eq!(saver.asides()[0].key, KEY);
        saver.discard(KEY).unwrap();
        assert!(saver.asides().is_empty());
    }

    #[test]
    fn the_annotators_name_is_remembered() {
        let storage = MemoryBackend::new();
        let (saver, _) = tab(&storage);
        assert_eq!(saver.annotator(), "");
        saver.remember_annotator(" Ana ").unwrap();
        assert_eq!(Saver::new(storage.clone()).annotator(), "Ana");
    }

    #[test]
    fn suggestion_settings_are_kept_apart_across_a_reload() {
        let storage = MemoryBackend::new();
        let (saver, _) = tab(&storage);
        assert_eq!(saver.setting(Setting::Gazetteer), "");
        saver.remember_setting(Setting::Gazetteer, "Lavrov\tentity\tperson\n").unwrap();
        saver.remember_setting(Setting::SpeechVerbs, "whispered, claimed").unwrap();
        let again = Saver::new(storage.clone());
        assert_eq!(again.setting(Setting::Gazetteer), "Lavrov\tentity\tperson\n");
        assert_eq!(again.setting(Setting::SpeechVerbs), "whispered, claimed");
    }

    #[test]
    fn adjudication_decisions_are_kept_per_document_and_sets() {
        let storage = MemoryBackend::new();
        let (saver, _) = tab(&storage);
        let sets = vec!["a".to_owned(), "b".to_owned()];
        assert!(saver.decisions("d", &sets).is_empty());
        let decisions = BTreeMap::from([("k1".to_owned(), Decision::Take(1)), ("k2".to_owned(), Decision::Reject)]);
        saver.remember_decisions("d", &sets, &decisions).unwrap();
        let again = Saver::new(storage.clone());
        assert_eq!(again.decisions("d", &sets), decisions);
        assert!(again.decisions("d", &["a".to_owned()]).is_empty(), "other sets, other decisions");
        assert!(again.decisions("e", &sets).is_empty());
        assert!(again.asides().is_empty(), "decisions are not taken for unreadable records");
        // Ids holding what a separator would: still apart.
        saver.remember_decisions("d", &["a\tb".to_owned(), "c".to_owned()], &decisions).unwrap();
        assert!(saver.decisions("d", &["a".to_owned(), "b\tc".to_owned()]).is_empty());
    }

    #[test]
    fn backup_marks_are_read_once_and_follow_downloads() {
        let storage = MemoryBackend::new();
        let (saver, ws) = tab(&storage);
        saver.save(&ws, T).unwrap();
        saver.save(&ws, T).unwrap();
        assert_eq!(saver.backup_marks(), (0, 0));
        saver.mark_downloaded().unwrap();
        assert_eq!(saver.backup_marks(), (2, 0));
        saver.save(&ws, T).unwrap();
        saver.dismiss_backup().unwrap();
        let other = Saver::new(storage.clone());
        assert_eq!(other.backup_marks(), (2, 3));
        storage.set(BACKUP_KEY, "{\"downloaded\": 9, \"dismissed\": 0}").unwrap();
        assert_eq!(other.backup_marks(), (2, 3), "read once");
        other.forget_backup_marks();
        assert_eq!(other.backup_marks(), (9, 0));
    }
}
