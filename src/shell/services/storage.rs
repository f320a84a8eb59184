//! The page's storage: the workspace in IndexedDB, one record per document and per set
//! ([`crate::storage::records`]), and small settings in `localStorage` through the page's
//! [`Saver`]. The rules (what is written, unreadable records kept aside, two tabs) are
//! [`crate::storage`]'s and tested natively; this file only talks to the browser.

use std::{
    cell::{Cell, OnceCell, RefCell},
    rc::Rc,
};

use yew::{platform::spawn_local, UseReducerHandle};

use super::{
    clock::{self, now},
    idb, timing,
};
use crate::{
    model::Workspace,
    seeds,
    shell::store::{Msg, Notice, Store},
    state::{touched::Record, Touched},
    storage::{
        records::{self, Ledger},
        Aside, Backend, SaveError, Saver, StorageError, ACTIVE_KEY, ASIDE_PREFIX, KEY,
    },
};

/// `window.localStorage`.
#[derive(Debug, Default)]
pub struct LocalStorage;

impl LocalStorage {
    fn store() -> Result<web_sys::Storage, StorageError> {
        match gloo::utils::window().local_storage() {
            Ok(Some(s)) => Ok(s),
            Ok(None) | Err(_) => Err(StorageError::Unavailable),
        }
    }
}

/// What the browser threw, as a [`StorageError`].
fn refused(e: wasm_bindgen::JsValue) -> StorageError {
    let name = js_sys::Reflect::get(&e, &"name".into()).ok().and_then(|n| n.as_string()).unwrap_or_default();
    if name == "QuotaExceededError" {
        StorageError::Full
    } else {
        StorageError::Refused(name)
    }
}

impl Backend for LocalStorage {
    fn get(&self, key: &str) -> Result<Option<String>, StorageError> {
        let store = Self::store()?;
        // Reading the workspace record is a measure of its own for make bench.
        let read = || store.get_item(key).map_err(refused);
        if key == KEY {
            timing::measure("spanwright:load:read", read)
        } else {
            read()
        }
    }

    fn set(&self, key: &str, value: &str) -> Result<(), StorageError> {
        Self::store()?.set_item(key, value).map_err(refused)
    }

    fn remove(&self, key: &str) -> Result<(), StorageError> {
        Self::store()?.remove_item(key).map_err(refused)
    }

    fn keys(&self) -> Result<Vec<String>, StorageError> {
        let store = Self::store()?;
        let n = store.length().map_err(refused)?;
        Ok((0..n).filter_map(|i| store.key(i).ok().flatten()).collect())
    }
}

thread_local! {
    static SAVER: OnceCell<Saver<LocalStorage>> = const { OnceCell::new() };
    static PAGE: Page = Page::default();
}

/// Runs `f` with the page's `localStorage` saver: settings, the backup marks, and the
/// workspace record of the builds before IndexedDB (read once, to move it).
pub fn with<T>(f: impl FnOnce(&Saver<LocalStorage>) -> T) -> T {
    SAVER.with(|s| f(s.get_or_init(|| Saver::new(LocalStorage))))
}

/// What this page holds of IndexedDB.
#[derive(Default)]
struct Page {
    /// The database; `None` when the browser has none to give (the start said so).
    db: RefCell<Option<Rc<idb::Database>>>,
    /// The revision this page last read or wrote of every record.
    ledger: RefCell<Ledger>,
    /// Saving is paused: unreadable records could not be kept aside, or a move failed.
    hold: Cell<bool>,
    /// A save is being written.
    writing: Cell<bool>,
    /// What the save being written touched, to tell another tab's clash from no clash, and
    /// its records, for the journal if the page goes away before they commit.
    in_flight: RefCell<Touched>,
    in_flight_writes: RefCell<Vec<records::Write>>,
    /// Saves asked for while one was being written: written next, and told then.
    waiting: RefCell<Vec<Told>>,
    /// Records kept aside in IndexedDB.
    asides: RefCell<Vec<Aside>>,
    /// The `localStorage` record was moved here and is kept until the user deletes it.
    migrated: Cell<bool>,
    /// The storage estimate (bytes used, bytes available to this site) and whether the
    /// browser agreed to keep the data until the user clears it.
    estimate: Cell<Option<(f64, f64)>>,
    persisted: Cell<bool>,
    /// This page's name on the broadcast channel.
    tab: RefCell<String>,
    /// The records the start did not read, to read in the background ([`fill`]): how, and
    /// how many articles there are in all.
    fill: RefCell<Option<(records::Filler, usize)>>,
    /// Those records are being read: what needs the whole workspace waits ([`when_read`]).
    filling: Cell<bool>,
    /// What waits for them.
    after_fill: RefCell<Vec<Box<dyn FnOnce()>>>,
    /// The article the start read with its shown set, before the others.
    first: RefCell<Option<String>>,
    /// Another tab needed the database to itself: this page let it go ([`on_superseded`]).
    gone: Cell<bool>,
    /// What to do then, with the page's store (journal what is not saved, say so).
    on_gone: RefCell<Option<Box<dyn FnOnce()>>>,
}

fn page<T>(f: impl FnOnce(&Page) -> T) -> T {
    PAGE.with(f)
}

fn database() -> Option<Rc<idb::Database>> {
    page(|p| p.db.borrow().clone())
}

/// The workspace to start with, and what to tell the user, if anything: the records in
/// IndexedDB, or, on the first start of this build, the `localStorage` workspace moved there.
pub async fn start() -> (Workspace, Option<Notice>) {
    let at = now();
    page(|p| *p.tab.borrow_mut() = format!("{}-{}", at, js_sys::Math::random()));
    let started = timing::start("spanwright:load".to_owned());
    let out = open_and_read(&at).await;
    started.end();
    refresh_estimate().await;
    spawn_local(ask_to_persist());
    out
}

async fn open_and_read(at: &str) -> (Workspace, Option<Notice>) {
    let db = match idb::open().await {
        Ok(mut db) => {
            db.on_version_change(|_| superseded());
            Rc::new(db)
        }
        Err(e) => {
            let (ws, _) = with(|s| s.load(seeds::documents(), at));
            return (ws, Some(Notice::Problem(format!("Your work cannot be saved: {e}. Download it before closing the tab."))));
        }
    };
    page(|p| *p.db.borrow_mut() = Some(db.clone()));
    with(|s| s.read_generation());
    let replayed = replay_journals(&db, at).await;
    let unreadable = |e: StorageError| {
        page(|p| p.hold.set(true));
        (
            Workspace::with_documents(seeds::documents()),
            Some(Notice::Problem(format!(
                "Your saved work could not be read from this browser's storage ({e}); saving is paused so nothing is written over it."
            ))),
        )
    };
    let read = timing::start("spanwright:load:idb".to_owned());
    let opening = match idb::read_opening(&db).await {
        Ok(opening) => opening,
        Err(e) => return unreadable(e),
    };
    page(|p| {
        p.migrated.set(opening.migration.is_some());
        *p.asides.borrow_mut() = opening.asides.iter().map(|(key, why, raw)| Aside { key: key.clone(), raw: raw.clone(), why: why.clone() }).collect();
    });
    // Nothing here yet, or a move that wrote records but was never confirmed: (again) from
    // localStorage, when it holds a workspace.
    let unconfirmed = opening.migration.is_none() && with(|s| s.backend().get(KEY)).ok().flatten().is_some();
    if opening.is_empty() || unconfirmed {
        let all = match idb::read_all(&db).await {
            Ok(all) => all,
            Err(e) => return unreadable(e),
        };
        read.end();
        let ledger = records::ledger_of(all.documents.iter().chain(&all.sets).chain(&all.index));
        return migrate(&db, at, &ledger).await;
    }
    // The article to open and the set it shows; the rest is read after the first paint.
    let active = LocalStorage.get(ACTIVE_KEY).ok().flatten();
    let mut filler = records::Filler::new(opening.index.as_deref(), active.as_deref());
    let first = match crate::route::Route::parse(&gloo::utils::window().location().hash().unwrap_or_default()) {
        crate::route::Route::Doc(id) => Some(id),
        crate::route::Route::Home => filler.order.iter().min_by_key(|(_, at)| **at).map(|(id, _)| id.clone()),
    };
    let mut wanted = Vec::new();
    if let Some(doc) = &first {
        wanted.push((records::DOCUMENTS, records::document_record(doc)));
        if let Some(set) = filler.active.get(doc) {
            wanted.push((records::SETS, records::set_record(set)));
        }
    }
    filler.read = wanted.iter().map(|(_, id)| id.clone()).collect();
    page(|p| p.first.borrow_mut().clone_from(&first));
    let got = match idb::read(&db, &wanted).await {
        Ok(got) => got,
        Err(e) => return unreadable(e),
    };
    read.end();
    let (mut documents, mut sets) = (Vec::new(), Vec::new());
    for ((store, _), raw) in wanted.iter().zip(got) {
        match (*store == records::DOCUMENTS, raw) {
            (true, Some(raw)) => documents.push(raw),
            (false, Some(raw)) => sets.push(raw),
            _ => {}
        }
    }
    let assembled = records::assemble(opening.index.as_deref(), &documents, &sets, active.as_deref(), seeds::documents());
    let articles = filler.order.len().max(opening.documents as usize);
    page(|p| {
        *p.ledger.borrow_mut() = assembled.ledger;
        *p.fill.borrow_mut() = Some((filler, articles));
        p.filling.set(true);
    });
    let said = keep_aside(&db, at, &assembled.kept).await;
    (assembled.workspace, said.or(replayed).map(Notice::Problem))
}

/// Copies unreadable records aside, untouched, before anything can write over them, and
/// says what happened (nothing when there were none).
async fn keep_aside(db: &idb::Database, at: &str, kept: &[records::Kept]) -> Option<String> {
    if kept.is_empty() {
        return None;
    }
    let known: Vec<String> = page(|p| p.asides.borrow().iter().map(|a| a.raw.clone()).collect());
    let fresh: Vec<(String, String, String)> =
        kept.iter().filter(|k| !known.contains(&k.raw)).map(|k| (format!("{ASIDE_PREFIX}{at} {}/{}", k.store, k.id), k.why.clone(), k.raw.clone())).collect();
    let whys: Vec<String> = kept.iter().take(3).map(|k| format!("{}: {}", k.id, k.why)).collect();
    let mut message = format!(
        "{} saved record{} could not be read and {} left out; a copy was kept aside, untouched, and can be downloaded below. {}",
        kept.len(),
        if kept.len() == 1 { "" } else { "s" },
        if kept.len() == 1 { "was" } else { "were" },
        whys.join("; ")
    );
    if !fresh.is_empty() {
        match idb::keep_aside(db, &fresh).await {
            Ok(()) => page(|p| p.asides.borrow_mut().extend(fresh.into_iter().map(|(key, why, raw)| Aside { key, raw, why }))),
            Err(e) => {
                // Offered as they are; deleting one (after downloading it) deletes the record
                // itself, and saving resumes when none is left.
                page(|p| {
                    p.hold.set(true);
                    p.asides.borrow_mut().extend(kept.iter().map(|k| Aside {
                        key: format!("{LIVE}{}/{}", k.store, k.id),
                        raw: k.raw.clone(),
                        why: k.why.clone(),
                    }));
                });
                message = format!("Some saved records could not be read, and there is no room to keep a copy of them aside ({e}); saving is paused so they are not overwritten. Download them below, then delete them to save again.");
            }
        }
    }
    Some(message)
}

/// How many document records one page of the background read takes, and how many set
/// records: each page is read and built in a task of a few milliseconds.
const DOCUMENTS_PAGE: u32 = 50;
const SETS_PAGE: u32 = 100;

/// Reads, page by page in the background, the records the start left for after the first
/// paint (every article but the one opened, and every set but the one it shows), adding
/// each page to the workspace as it comes. Until the last page, what needs the whole
/// workspace waits ([`when_read`]) and saves wait too; edits go on.
pub fn fill(store: UseReducerHandle<Store>) {
    let Some((filler, articles)) = page(|p| p.fill.borrow_mut().take()) else { return };
    let Some(db) = database() else { return filled(&store, None) };
    let (order, active) = (Rc::new(filler.order.clone()), Rc::new(filler.active.clone()));
    let read = store.state().workspace.documents().len();
    store.dispatch(Msg::Stored {
        order: order.clone(),
        active: active.clone(),
        documents: Vec::new(),
        sets: Vec::new(),
        reading: Some((read.min(articles), articles)),
    });
    spawn_local(async move {
        let timing = timing::start("spanwright:load:fill".to_owned());
        let mut kept = Vec::new();
        let mut problem = None;
        'stores: for (name, limit) in [(records::DOCUMENTS, DOCUMENTS_PAGE), (records::SETS, SETS_PAGE)] {
            let mut after: Option<String> = None;
            loop {
                let held = |id: &str| {
                    let ws = &store.state().workspace;
                    filler.read.contains(id)
                        || id.strip_prefix("doc:").is_some_and(|d| ws.document(d).is_some())
                        || id.strip_prefix("set:").is_some_and(|s| ws.set(s).is_some())
                };
                let idb::Page { raws, held, last } = match idb::read_page(&db, name, after.as_deref(), limit, held).await {
                    Ok(page) => page,
                    Err(e) => {
                        page(|p| p.hold.set(true));
                        problem = Some(format!("Part of your saved work could not be read from this browser's storage ({e}); saving is paused so nothing is written over it. Reload the page to try again."));
                        break 'stores;
                    }
                };
                let Some(last) = last else { break };
                let part = {
                    let state = store.state();
                    if name == records::DOCUMENTS {
                        filler.documents(&state.workspace, &raws)
                    } else {
                        filler.sets(&state.workspace, &raws)
                    }
                };
                page(|p| {
                    let mut ledger = p.ledger.borrow_mut();
                    ledger.extend(part.ledger);
                    for (id, rev) in part.held.into_iter().chain(held) {
                        ledger.entry(id).or_insert(rev);
                    }
                });
                kept.extend(part.kept);
                let read = store.state().workspace.documents().len() + part.documents.len();
                store.dispatch(Msg::Stored {
                    order: order.clone(),
                    active: active.clone(),
                    documents: part.documents,
                    sets: part.sets,
                    reading: Some((read.min(articles), articles)),
                });
                after = Some(last);
                clock::next_task().await;
            }
        }
        timing.end();
        let at = now();
        let said = keep_aside(&db, &at, &kept).await;
        let said = match (problem, said) {
            (Some(problem), Some(said)) => Some(format!("{problem} {said}")),
            (problem, said) => problem.or(said),
        };
        filled(&store, said);
    });
}

/// The background read is over: what waited for it goes on.
fn filled(store: &UseReducerHandle<Store>, said: Option<String>) {
    page(|p| p.filling.set(false));
    store.dispatch(Msg::Stored { order: Rc::default(), active: Rc::default(), documents: Vec::new(), sets: Vec::new(), reading: None });
    if let Some(message) = said {
        store.dispatch(Msg::Notice(Notice::Problem(message)));
    }
    for then in page(|p| std::mem::take(&mut *p.after_fill.borrow_mut())) {
        then();
    }
    // What waited for the last page (the index, the shown sets) is saved now.
    if !store.state().touched().is_empty() && !page(|p| p.writing.get()) {
        save_then(store, Box::new(|_| {}));
    }
}

/// Runs `then` once every stored record is in the page's workspace: at once, or when the
/// background read started after the first paint ends. Exports, downloads, uploads,
/// imports, agreement, suggestions and other tabs' saves need the whole workspace.
pub fn when_read(then: impl FnOnce() + 'static) {
    if page(|p| p.filling.get()) {
        page(|p| p.after_fill.borrow_mut().push(Box::new(then)));
    } else {
        then();
    }
}

/// The article the start read first, with its shown set: the one article whose annotations
/// are all in while the others are still being read.
pub fn read_first() -> Option<String> {
    page(|p| p.first.borrow().clone())
}

/// Lets the browser run other tasks (input, drawing) before going on.
/// First start of this build: the workspace `localStorage` held (if any) is written to
/// IndexedDB, read back and compared, and the old record is kept until the user deletes it.
async fn migrate(db: &idb::Database, at: &str, ledger: &Ledger) -> (Workspace, Option<Notice>) {
    let had = with(|s| s.backend().get(KEY)).ok().flatten().is_some();
    let (ws, problem) = with(|s| s.load(seeds::documents(), at));
    if !had {
        return (ws, problem.map(Notice::Problem));
    }
    // Over any records an unconfirmed earlier move left.
    let writes = records::plan_all(&ws, ledger);
    let migration = serde_json::json!({
        "_id": records::MIGRATION_ID, "_rev": records::next_rev(None, at), "type": "migration",
        "from": "localStorage", "key": KEY, "at": at, "documents": ws.documents().len(), "sets": ws.sets().len(),
    })
    .to_string();
    let kept = |why: String| {
        page(|p| p.hold.set(true));
        (ws.clone(), Some(Notice::Problem(format!("Your work could not be moved to this browser's IndexedDB ({why}). It stays in localStorage, untouched; saving is paused. Use Download JSON to keep a copy."))))
    };
    if let Err(e) = idb::write(db, &writes, &[]).await {
        return kept(e.to_string());
    }
    // Read back and compared before the move counts as done.
    let back = match idb::read_all(db).await {
        Ok(all) => records::assemble(all.index.as_deref(), &all.documents, &all.sets, Some(&records::encode_active(&ws)), seeds::documents()),
        Err(e) => return kept(e.to_string()),
    };
    // The same sets (records come back in the order they were made), labels and texts.
    let by_id = |w: &Workspace| {
        let mut sets: Vec<_> = w.sets().iter().collect();
        sets.sort_by(|a, b| a.id.cmp(&b.id));
        sets.into_iter().cloned().collect::<Vec<_>>()
    };
    let same = back.kept.is_empty()
        && by_id(&back.workspace) == by_id(&ws)
        && back.workspace.labels == ws.labels
        && back.workspace.documents().iter().map(|d| &d.sha256).eq(ws.documents().iter().map(|d| &d.sha256));
    if !same {
        return kept("what was written did not read back the same".into());
    }
    // Only now does the move count as done: a start that finds records without this one
    // moves the localStorage workspace again.
    let marker = records::Write { store: records::META, id: records::MIGRATION_ID.into(), expect: None, rev: records::next_rev(None, at), json: migration };
    if let Err(e) = idb::write(db, std::slice::from_ref(&marker), &[]).await {
        return kept(e.to_string());
    }
    let _ = LocalStorage.set(ACTIVE_KEY, &records::encode_active(&ws));
    page(|p| {
        *p.ledger.borrow_mut() = back.ledger;
        p.migrated.set(true);
    });
    let count = |n: usize, what: &str| format!("{n} {what}{}", if n == 1 { "" } else { "s" });
    let moved = format!(
        "Your work was moved from localStorage to IndexedDB ({} and {}), where a corpus fits. The old copy is kept below until you delete it.",
        count(ws.documents().len(), "article"),
        count(ws.sets().len(), "annotation set")
    );
    (ws, Some(problem.map(Notice::Problem).unwrap_or(Notice::Info(moved))))
}

async fn ask_to_persist() {
    let storage = gloo::utils::window().navigator().storage();
    if let Ok(promise) = storage.persist() {
        let granted = wasm_bindgen_futures::JsFuture::from(promise).await.ok().and_then(|v| v.as_bool()).unwrap_or(false);
        page(|p| p.persisted.set(granted));
    }
    refresh_estimate().await;
}

async fn refresh_estimate() {
    let storage = gloo::utils::window().navigator().storage();
    let Ok(promise) = storage.estimate() else { return };
    let Ok(estimate) = wasm_bindgen_futures::JsFuture::from(promise).await else { return };
    let number = |k: &str| js_sys::Reflect::get(&estimate, &k.into()).ok().and_then(|v| v.as_f64());
    if let (Some(usage), Some(quota)) = (number("usage"), number("quota")) {
        page(|p| p.estimate.set(Some((usage, quota))));
    }
}

/// (bytes used, bytes this site may use) as the browser last estimated, and whether it
/// agreed to keep the data until the user clears it.
pub fn estimate() -> (Option<(f64, f64)>, bool) {
    page(|p| (p.estimate.get(), p.persisted.get()))
}

/// How many more bytes the browser said this site may store (unbounded when unknown).
pub fn room() -> usize {
    match page(|p| p.estimate.get()) {
        Some((usage, quota)) if quota > usage => (quota - usage) as usize,
        Some(_) => 0,
        None => usize::MAX,
    }
}

/// Saves what the edits since the last save touched, and calls `done` when it is written
/// or why not. Only those records are written, so a save costs the same at any size of
/// corpus. A save asked for while one is being written follows it.
pub fn save(store: &UseReducerHandle<Store>, done: impl FnOnce(Result<(), SaveError>) + 'static) {
    save_then(store, Box::new(done));
}

type Told = Box<dyn FnOnce(Result<(), SaveError>)>;

/// Up to how many records a save plans at once, in the task of the edit.
const PLAN_PART: usize = 200;

/// About how many bytes of records a large save plans in one task of the page's: 200 sets of
/// 50 spans each took 20 to 60 ms, 200 articles of 5,000 characters 3 to 15.
const PLAN_BYTES: usize = 256 * 1024;

fn save_then(store: &UseReducerHandle<Store>, done: Told) {
    if page(|p| p.gone.get()) {
        // Kept for the next start instead, at once (a reload is one).
        journal(store);
        return done(Err(SaveError::Superseded));
    }
    let Some(db) = database() else { return done(Err(SaveError::Storage(StorageError::Unavailable))) };
    if page(|p| p.hold.get()) {
        return done(Err(SaveError::Paused));
    }
    if page(|p| p.writing.get()) {
        return page(|p| p.waiting.borrow_mut().push(done));
    }
    let mut touched = store.take_touched();
    if page(|p| p.filling.get()) {
        // While the stored records are still being read, the sets edited are saved; the
        // index and the map of shown sets, written from the whole workspace, wait for the
        // last page (articles and labels cannot change meanwhile).
        let later = Touched { documents: std::mem::take(&mut touched.documents), labels: touched.labels, active: touched.active, ..Touched::default() };
        touched.labels = false;
        touched.active = false;
        if !later.is_empty() {
            store.untake_touched(later);
        }
    }
    if touched.active {
        // Which set is shown is a view of this browser's: without localStorage it is simply
        // not remembered, and the work itself is still saved.
        touched.active = false;
        let _ = LocalStorage.set(ACTIVE_KEY, &records::encode_active(&store.state().workspace));
    }
    // An edit's save is planned at once; a large one (an import of thousands of articles) a
    // part per task, so the page stays responsive while it is made.
    let planned = if touched.documents.len() + touched.sets.len() <= PLAN_PART {
        let writes = timing::measure("spanwright:save", || page(|p| records::plan(&store.state().workspace, &touched, &p.ledger.borrow())));
        if writes.is_empty() {
            return done(Ok(()));
        }
        Some(writes)
    } else {
        None
    };
    page(|p| {
        p.writing.set(true);
        *p.in_flight.borrow_mut() = touched.clone();
        p.in_flight_writes.borrow_mut().clone_from(planned.as_ref().unwrap_or(&Vec::new()));
    });
    let store = store.clone();
    spawn_local(async move {
        let writes = match planned {
            Some(writes) => writes,
            None => {
                let mut writes = Vec::new();
                let parts = {
                    let state = store.state();
                    let ws = &state.workspace;
                    touched.parts(PLAN_BYTES, |record| match record {
                        // A text is copied; a span is written field by field.
                        Record::Document(id) => ws.document(id).map_or(0, |d| d.text.len() / 4),
                        Record::Set(id) => ws.set(id).map_or(0, |s| 120 * s.spans().len() + 80 * s.relations().len()),
                    })
                };
                for part in parts {
                    writes.extend(page(|p| records::plan_records(&store.state().workspace, &part, &p.ledger.borrow())));
                    clock::next_task().await;
                }
                writes.extend(page(|p| records::plan_index(&store.state().workspace, &touched, &p.ledger.borrow())));
                page(|p| p.in_flight_writes.borrow_mut().clone_from(&writes));
                writes
            }
        };
        let written = timing::start("spanwright:save:write".to_owned());
        let result = idb::write(&db, &writes, &[]).await;
        written.end();
        page(|p| {
            p.writing.set(false);
            *p.in_flight.borrow_mut() = Touched::default();
            p.in_flight_writes.borrow_mut().clear();
        });
        match &result {
            Ok(()) => {
                // What a hidden page journaled is now committed, or still touched (and
                // journaled again if the page goes away before its save).
                // A hidden page journals again what still waits; a visible one needs none.
                if gloo::utils::document().visibility_state() == web_sys::VisibilityState::Hidden {
                    journal(&store);
                } else {
                    let _ = LocalStorage.remove(&own_journal());
                }
                page(|p| p.ledger.borrow_mut().extend(writes.iter().map(|w| (w.id.clone(), w.rev.clone()))));
                with(|s| s.count_save());
                broadcast(&writes);
                if !touched.documents.is_empty() {
                    spawn_local(refresh_estimate());
                }
            }
            Err(_) => store.untake_touched(touched),
        }
        done(result);
        let waiting = page(|p| std::mem::take(&mut *p.waiting.borrow_mut()));
        if !waiting.is_empty() {
            save_then(&store, Box::new(move |r| waiting.into_iter().for_each(|tell| tell(r.clone()))));
        }
    });
}

/// Calls `then` (once) if another tab opens a newer version of the database or deletes it,
/// after this page has let the database go: `then` journals what is not saved and says so.
pub fn on_superseded(then: impl FnOnce() + 'static) {
    page(|p| *p.on_gone.borrow_mut() = Some(Box::new(then)));
}

/// Another tab asks for the database to itself (a newer Spanwright upgrading it, or the
/// site's data being cleared), and waits until every page has closed it: this page closes
/// it at once so the other is not blocked, and saves no more (a save in flight still
/// completes). What it has not saved goes to the journal, written by the next start.
fn superseded() {
    page(|p| {
        p.gone.set(true);
        if let Some(db) = p.db.borrow_mut().take() {
            db.close();
        }
    });
    if let Some(then) = page(|p| p.on_gone.borrow_mut().take()) {
        then();
    }
}

/// The page is being hidden or closed: the writes not yet known to be committed (the save
/// being written, and what waits for its save) go to `localStorage` at once, because an
/// IndexedDB transaction begun now may never commit. The next start writes what is missing.
pub fn journal(store: &Store) {
    // A page that let the database go still journals: its edits are written at the next
    // start, which a reload is.
    if (database().is_none() && !page(|p| p.gone.get())) || page(|p| p.hold.get()) {
        return;
    }
    let mut writes = page(|p| p.in_flight_writes.borrow().clone());
    let mut touched = store.state().touched().clone();
    if writes.is_empty() {
        // A large save still being planned: what it took is planned here whole.
        touched.merge(page(|p| p.in_flight.borrow().clone()));
    }
    if !touched.is_empty() {
        // As if the save in flight commits: its records' next writes expect its revisions.
        let mut ledger = page(|p| p.ledger.borrow().clone());
        ledger.extend(writes.iter().map(|w| (w.id.clone(), w.rev.clone())));
        writes.extend(records::plan(&store.state().workspace, &touched, &ledger));
    }
    let filling = page(|p| p.filling.get());
    if filling {
        // The index is written from the whole workspace, not one still being read; an
        // article it does not list yet is read last at the next start, nothing lost.
        writes.retain(|w| w.id != records::INDEX_ID);
    }
    if writes.is_empty() {
        return;
    }
    if touched.active && !filling {
        let _ = LocalStorage.set(ACTIVE_KEY, &records::encode_active(&store.state().workspace));
    }
    let _ = LocalStorage.set(&own_journal(), &records::encode_journal(&writes));
}

/// This tab's journal key: each tab has its own, so two tabs closed together both keep
/// theirs.
fn own_journal() -> String {
    format!("{}.{}", records::JOURNAL_KEY, page(|p| p.tab.borrow().clone()))
}

/// Writes what pages that went away journaled and did not commit; what another tab
/// changed since is kept aside instead. Returns a message when something was kept aside.
async fn replay_journals(db: &idb::Database, at: &str) -> Option<String> {
    let keys: Vec<String> = LocalStorage.keys().unwrap_or_default().into_iter().filter(|k| k.starts_with(records::JOURNAL_KEY)).collect();
    let mut said = None;
    for key in keys {
        said = replay_journal(db, &key, at).await.or(said);
    }
    said
}

async fn replay_journal(db: &idb::Database, key: &str, at: &str) -> Option<String> {
    let journal = LocalStorage.get(key).ok().flatten()?;
    let message = match replay_with(db, &journal, at).await {
        Ok(None) => None,
        Ok(Some(kept)) => Some(kept),
        Err(why) => Some(format!("Changes a closed tab had not finished saving could not be written ({why}); they were kept aside below.")),
    };
    if message.is_some() && !journal.is_empty() {
        let aside = (format!("{ASIDE_PREFIX}{at} {key}"), "changes a tab had not finished saving when it closed".to_owned(), journal);
        if idb::keep_aside(db, std::slice::from_ref(&aside)).await.is_ok() {
            page(|p| p.asides.borrow_mut().push(Aside { key: aside.0, raw: aside.2, why: aside.1 }));
        } else {
            // Left in place for the next start rather than lost.
            return message;
        }
    }
    let _ = LocalStorage.remove(key);
    message
}

async fn replay_with(db: &idb::Database, journal: &str, _at: &str) -> Result<Option<String>, String> {
    let ids: Vec<(&'static str, String)> = {
        let (todo, _, clashed) = records::replay(journal, |_, _| None)?;
        todo.into_iter().chain(clashed).map(|w| (w.store, w.id)).collect()
    };
    let now = idb::read(db, &ids).await.map_err(|e| e.to_string())?;
    let revs: std::collections::HashMap<&str, Option<String>> =
        ids.iter().zip(&now).map(|((_, id), raw)| (id.as_str(), raw.as_deref().and_then(records::rev_of))).collect();
    let (todo, _, clashed) = records::replay(journal, |_, id| revs.get(id).cloned().flatten())?;
    if !todo.is_empty() {
        idb::write(db, &todo, &[]).await.map_err(|e| e.to_string())?;
    }
    Ok((!clashed.is_empty()).then(|| {
        format!(
            "A tab closed before saving changes to {} record{} that another tab changed since; its changes were kept aside below rather than written over the other tab's.",
            clashed.len(),
            if clashed.len() == 1 { "" } else { "s" }
        )
    }))
}

/// The channel tabs of this site tell each other what they wrote on.
pub const CHANNEL: &str = "spanwright";

fn broadcast(writes: &[records::Write]) {
    let Ok(channel) = web_sys::BroadcastChannel::new(CHANNEL) else { return };
    let written: Vec<(&str, &str, &str)> = writes.iter().map(|w| (w.store, w.id.as_str(), w.rev.as_str())).collect();
    let message = serde_json::json!({ "tab": page(|p| p.tab.borrow().clone()), "written": written }).to_string();
    let _ = channel.post_message(&message.into());
    channel.close();
}

/// What another tab's broadcast means for this page.
pub enum Heard {
    /// Nothing new (this page's own write, or one it already holds).
    Nothing,
    /// Records this page has unsaved edits of (or is writing): the user chooses.
    Clash,
    /// Records to bring in.
    Bring(Vec<(&'static str, String)>),
}

/// Reads another tab's broadcast.
pub fn heard(message: &str, store: &Store) -> Heard {
    #[derive(serde::Deserialize)]
    struct Said {
        tab: String,
        written: Vec<(String, String, String)>,
    }
    let Ok(said) = serde_json::from_str::<Said>(message) else { return Heard::Nothing };
    if page(|p| *p.tab.borrow() == said.tab) {
        return Heard::Nothing;
    }
    let ledger = page(|p| p.ledger.borrow().clone());
    let new: Vec<(&'static str, String)> = said
        .written
        .into_iter()
        .filter(|(_, id, rev)| ledger.get(id) != Some(rev))
        .filter_map(|(store, id, _)| records::STORES.iter().find(|s| **s == store).map(|s| (*s, id)))
        .collect();
    if new.is_empty() {
        return Heard::Nothing;
    }
    if clashing(store, &new) {
        Heard::Clash
    } else {
        Heard::Bring(new)
    }
}

/// True when this page has unsaved edits (waiting, or being written) of any of these
/// records: a set it changed, an article with a set it changed (a removed article takes its
/// sets), or the index when it added or removed articles or changed labels.
fn clashing(store: &Store, ids: &[(&'static str, String)]) -> bool {
    let in_flight = page(|p| p.in_flight.borrow().clone());
    let state = store.state();
    let mine = |t: &Touched, id: &str| match id.split_once(':') {
        Some(("set", set)) => t.sets.contains(set),
        Some(("doc", doc)) => t.documents.contains(doc) || t.sets.iter().any(|s| state.workspace.set(s).is_some_and(|s| s.doc_id == doc)),
        _ => id == records::INDEX_ID && (t.labels || !t.documents.is_empty()),
    };
    ids.iter().any(|(_, id)| mine(&in_flight, id) || mine(state.touched(), id))
}

/// What [`bring`] says when this page edited the records while they were being read.
pub const CLASH: &str = "clash";

/// Brings records another tab wrote into the page (after [`heard`] said to).
pub fn bring(store: UseReducerHandle<Store>, wanted: Vec<(&'static str, String)>, then: impl FnOnce(Result<(), String>) + 'static) {
    let Some(db) = database() else { return };
    spawn_local(async move {
        let raws = match idb::read(&db, &wanted).await {
            Ok(raws) => raws,
            Err(e) => return then(Err(e.to_string())),
        };
        // Edited here while they were read: the user chooses, as for any clash.
        if clashing(&store, &wanted) {
            return then(Err(CLASH.into()));
        }
        let arrived: Vec<records::Arrived> = wanted.iter().zip(raws).map(|((store, _), raw)| records::Arrived { store, raw }).collect();
        // Against the workspace as it is now, not as it was when the read began.
        let integrated = records::integrate(&store.state().workspace, &arrived);
        match integrated {
            Ok((ws, revs)) => {
                page(|p| p.ledger.borrow_mut().extend(revs));
                store.dispatch(Msg::Integrate(ws, "Brought in the changes saved in another tab.".into()));
                then(Ok(()))
            }
            Err(why) => then(Err(why)),
        }
    });
}

/// Everything saved, read again (the conflict's "Load the other tab's work"): this page's
/// unsaved edits are dropped for what storage holds.
pub fn reload(then: impl FnOnce(Result<Workspace, String>) + 'static) {
    let Some(db) = database() else { return then(Err(StorageError::Unavailable.to_string())) };
    spawn_local(async move {
        let all = match idb::read_all(&db).await {
            Ok(all) => all,
            Err(e) => return then(Err(e.to_string())),
        };
        let active = LocalStorage.get(ACTIVE_KEY).ok().flatten();
        let assembled = records::assemble(all.index.as_deref(), &all.documents, &all.sets, active.as_deref(), seeds::documents());
        if let Some(k) = assembled.kept.first() {
            return then(Err(format!("a saved record cannot be read ({}: {})", k.id, k.why)));
        }
        page(|p| *p.ledger.borrow_mut() = assembled.ledger);
        then(Ok(assembled.workspace))
    });
}

/// A copy kept aside as the page lists it: the text itself is read only when downloaded
/// ([`aside_text`]), so a large one (the workspace `localStorage` held before the move, a
/// few MB) is not held by the page.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Kept {
    /// Its storage key.
    pub key: String,
    /// Why it is kept aside.
    pub why: String,
    /// About how large it is, in characters.
    pub size: usize,
}

impl From<&Aside> for Kept {
    fn from(a: &Aside) -> Self {
        Kept { key: a.key.clone(), why: a.why.clone(), size: a.raw.len() }
    }
}

/// Everything kept aside: unreadable records (in IndexedDB, or in `localStorage` from
/// before), and the `localStorage` workspace moved to IndexedDB, until it is deleted.
pub fn asides() -> Vec<Kept> {
    let mut all: Vec<Kept> = with(|s| s.asides()).iter().map(Kept::from).collect();
    if page(|p| p.migrated.get()) {
        if let Some(size) = stored_length(KEY) {
            let why = "the workspace as localStorage held it before it moved to IndexedDB; it is no longer read, and is kept until you delete it".to_owned();
            all.push(Kept { key: KEY.to_owned(), why, size });
        }
    }
    all.extend(page(|p| p.asides.borrow().iter().map(Kept::from).collect::<Vec<_>>()));
    all
}

/// The text of a copy kept aside, exactly as stored, if it is still there.
pub fn aside_text(key: &str) -> Option<String> {
    page(|p| p.asides.borrow().iter().find(|a| a.key == key).map(|a| a.raw.clone())).or_else(|| LocalStorage.get(key).ok().flatten())
}

/// How many characters `localStorage` holds under `key`, without copying them into the page's
/// memory.
fn stored_length(key: &str) -> Option<usize> {
    use wasm_bindgen::JsCast;
    let store = gloo::utils::window().local_storage().ok().flatten()?;
    let get: js_sys::Function = js_sys::Reflect::get(&store, &"getItem".into()).ok()?.dyn_into().ok()?;
    let value = get.call1(&store, &key.into()).ok()?;
    value.dyn_ref::<js_sys::JsString>().map(|s| s.length() as usize)
}

/// Deletes one kept-aside copy.
pub fn discard(key: &str) -> Result<(), StorageError> {
    let in_idb = page(|p| p.asides.borrow().iter().any(|a| a.key == key));
    if !in_idb {
        return with(|s| s.discard(key));
    }
    page(|p| p.asides.borrow_mut().retain(|a| a.key != key));
    let Some(db) = database() else { return Ok(()) };
    let (store, id) = match key.strip_prefix(LIVE).and_then(|k| k.split_once('/')) {
        Some((store, id)) => {
            page(|p| {
                p.ledger.borrow_mut().remove(id);
                if !p.asides.borrow().iter().any(|a| a.key.starts_with(LIVE)) {
                    p.hold.set(false);
                }
            });
            (records::STORES.iter().copied().find(|s| *s == store).unwrap_or(records::ASIDES), id.to_owned())
        }
        None => (records::ASIDES, key.to_owned()),
    };
    spawn_local(async move {
        let _ = idb::delete(&db, store, &id).await;
    });
    Ok(())
}

/// The key prefix of an unreadable record offered where it is, not as a copy.
const LIVE: &str = "live:";

/// The generation this page last read or wrote.
pub fn generation() -> u64 {
    with(|s| s.generation())
}

/// (downloaded, dismissed) generations of the backup record.
pub fn backup_marks() -> (u64, u64) {
    with(|s| s.backup_marks())
}

/// Another tab changed the backup record.
pub fn forget_backup_marks() {
    with(|s| s.forget_backup_marks())
}

/// Who annotates in this browser, as last given.
pub fn annotator() -> String {
    with(|s| s.annotator())
}

/// Remembers who annotates in this browser.
pub fn remember_annotator(name: &str) -> Result<(), StorageError> {
    with(|s| s.remember_annotator(name))
}

/// The adjudication decisions kept for these sets of `doc`.
pub fn decisions(doc: &str, sets: &[String]) -> std::collections::BTreeMap<String, crate::agreement::adjudicate::Decision> {
    with(|s| s.decisions(doc, sets))
}

/// Keeps the adjudication decisions for these sets of `doc`.
pub fn remember_decisions(
    doc: &str,
    sets: &[String],
    decisions: &std::collections::BTreeMap<String, crate::agreement::adjudicate::Decision>,
) -> Result<(), StorageError> {
    with(|s| s.remember_decisions(doc, sets, decisions))
}

/// The workspace as it is now was downloaded.
pub fn mark_downloaded() -> Result<(), StorageError> {
    with(|s| s.mark_downloaded())
}

/// The user said "Not now" to the backup reminder.
pub fn dismiss_backup() -> Result<(), StorageError> {
    with(|s| s.dismiss_backup())
}

/// A suggestion setting kept in this browser ("" when never given).
pub fn setting(key: crate::storage::Setting) -> String {
    with(|s| s.setting(key))
}

/// Keeps a suggestion setting in this browser.
pub fn remember_setting(key: crate::storage::Setting, value: &str) -> Result<(), StorageError> {
    with(|s| s.remember_setting(key, value))
}
