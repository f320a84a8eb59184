//! Files in and out of the browser: downloads through Blob URLs (nothing leaves the machine),
//! and uploads read with `FileReader`. Parsing and merging are the core's.

use gloo::file::{callbacks::FileReader, File};

use wasm_bindgen::JsCast;
use yew::prelude::*;

use super::{
    clock::{self, now},
    storage, timing, worker,
};
use crate::{
    formats::{
        job::{self, JobError},
        native,
        scope::{select, Scope},
        upload, Format,
    },
    shell::store::{Msg, Notice, Store},
};

/// A button's click handler that opens the file picker of a hidden `<input type="file">`
/// (emptied first, so choosing the same file again still counts as a change).
pub fn open_picker(input: &NodeRef) -> Callback<MouseEvent> {
    let input = input.clone();
    Callback::from(move |_| {
        if let Some(input) = input.cast::<web_sys::HtmlInputElement>() {
            input.set_value("");
            input.click();
        }
    })
}

/// The files chosen in a file input's change event.
pub fn chosen_files(e: &Event) -> Vec<web_sys::File> {
    let input: web_sys::HtmlInputElement = e.target_unchecked_into();
    input.files().map(|f| (0..f.length()).filter_map(|i| f.get(i)).collect()).unwrap_or_default()
}

/// Saves `content` as a file called `name` through a temporary object URL.
pub fn download(name: &str, media_type: &str, content: impl gloo::file::BlobContents) -> Result<(), String> {
    save_blob(name, gloo::file::Blob::new_with_options(content, Some(media_type)))
}

/// Saves a `Blob` (one the formats worker made, say) as a file called `name`.
pub fn save_blob(name: &str, blob: impl Into<gloo::file::Blob>) -> Result<(), String> {
    let url = gloo::file::ObjectUrl::from(blob.into());
    let document = gloo::utils::document();
    let a: web_sys::HtmlAnchorElement =
        document.create_element("a").map_err(|_| "the browser refused to create a link".to_owned())?.dyn_into().map_err(|_| "not a link".to_owned())?;
    a.set_href(&url);
    a.set_download(name);
    a.click();
    Ok(())
}

/// Downloads `scope` of the workspace as Spanwright JSON (*Download JSON*), made in the
/// formats worker; `told` hears how far it has come. If the worker cannot run, the page makes
/// the file itself: the download is also the way to keep work that could not be saved.
/// Downloading every article counts as a backup for the backup reminder; a part does not.
pub fn download_workspace(store: &UseReducerHandle<Store>, scope: Scope, told: worker::Told) {
    let all = store.state().workspace.documents().len();
    let whole = scope == Scope::All;
    let name = match &scope {
        Scope::All => format!("spanwright-workspace-{}.json", &now()[..10]),
        Scope::Listed(ids) => format!("spanwright-{}-articles-{}.json", ids.len(), &now()[..10]),
    };
    let what = scope.phrase(all);
    let timing = timing::start("spanwright:download".to_owned());
    let (for_reply, fallback, ended) = (store.clone(), scope.clone(), told.clone());
    worker::save(store, scope, told, move |reply| {
        let store = for_reply;
        ended(worker::Stage::Ended, 0, 0);
        let saved = match reply {
            Ok(blob) => save_blob(&name, blob),
            Err(JobError::Worker(_)) => {
                let json = {
                    let state = store.state();
                    native::save_selection(&state.workspace, &select(&state.workspace, &fallback), &mut |_, _| {})
                };
                download(&name, "application/json", json.as_str())
            }
            Err(e) => Err(e.to_string()),
        };
        timing.end();
        let line = match saved {
            Err(e) => return store.dispatch(Msg::Notice(Notice::Problem(format!("Could not download: {e}")))),
            Ok(()) if !whole => format!("Downloaded {what} as {name}."),
            Ok(()) => match storage::mark_downloaded() {
                Ok(()) => format!("Downloaded {name}."),
                // The download happened; only the backup reminder's count could not be kept.
                Err(e) => format!("Downloaded {name}. (The backup reminder could not note it: {e}.)"),
            },
        };
        store.dispatch(Msg::Notice(Notice::Info(line)));
    });
}

/// Downloads every set in `scope` in a training format, exported in the formats worker;
/// `told` hears how far it has come.
pub fn download_exports(store: &UseReducerHandle<Store>, format: Format, scope: Scope, told: worker::Told) {
    let (all, sets) = {
        let state = store.state();
        (state.workspace.documents().len(), select(&state.workspace, &scope).sets.len())
    };
    if sets == 0 {
        let line = match scope {
            Scope::All => "Nothing to export yet: tag some text first.".to_owned(),
            Scope::Listed(_) => format!("Nothing to export: {} have no annotation sets.", scope.phrase(all)),
        };
        told(worker::Stage::Ended, 0, 0);
        return store.dispatch(Msg::Notice(Notice::Problem(line)));
    }
    let of = match scope {
        Scope::All => String::new(),
        Scope::Listed(_) => format!(" ({})", scope.phrase(all)),
    };
    let timing = timing::start(format!("spanwright:export:{}", format.id()));
    let (for_reply, ended) = (store.clone(), told.clone());
    worker::export(store, scope, format.id(), told, move |reply| {
        let store = for_reply;
        ended(worker::Stage::Ended, 0, 0);
        let export = match reply {
            Ok(export) => export,
            Err(e) => return store.dispatch(Msg::Notice(Notice::Problem(format!("Could not export {}: {e}", format.title())))),
        };
        for file in &export.files {
            if let Err(e) = save_blob(&file.name, file.content.clone()) {
                store.dispatch(Msg::Notice(Notice::Problem(format!("Could not download {}: {e}", file.name))));
                return;
            }
        }
        // From the click to the files handed to the browser to save.
        timing.end();
        let names: Vec<&str> = export.files.iter().map(|f| f.name.as_str()).collect();
        let mut line = format!("Exported {}{of} as {}.", format.title(), names.join(", "));
        for r in &export.report {
            line.push_str(&format!(" Note: {r}."));
        }
        store.dispatch(Msg::Notice(Notice::Info(line)));
    });
}

thread_local! {
    /// Reads in progress, by number; dropping a FileReader cancels it, so each is kept
    /// until its callback has run.
    static READING: std::cell::RefCell<(u64, std::collections::HashMap<u64, FileReader>)> = Default::default();
}

/// Reads a file's bytes, then calls `done` with them or with why they could not be read.
pub fn read_bytes(file: web_sys::File, done: impl FnOnce(Result<Vec<u8>, String>) + 'static) {
    let file = File::from(file);
    let n = READING.with(|r| {
        let mut r = r.borrow_mut();
        r.0 += 1;
        r.0
    });
    let reader = gloo::file::callbacks::read_as_bytes(&file, move |result| {
        READING.with(|r| r.borrow_mut().1.remove(&n));
        done(result.map_err(|e| format!("the file could not be read ({e})")));
    });
    READING.with(|r| r.borrow_mut().1.insert(n, reader));
}

/// Reads an uploaded file and merges it, or says what is wrong and changes nothing
/// (the rules are [`upload`]'s; the reading runs in the formats worker, and `told` hears how
/// far it has come).
pub fn upload(store: UseReducerHandle<Store>, file: web_sys::File, told: worker::Told) {
    let name = file.name();
    if let Err(e) = upload::check_size(&name, file.size() as u64) {
        told(worker::Stage::Ended, 0, 0);
        return store.dispatch(Msg::Notice(Notice::Problem(e.to_string())));
    }
    let timing = timing::start("spanwright:upload".to_owned());
    let at = now();
    let (for_reply, adding) = (store.clone(), told.clone());
    worker::upload(&store, &name.clone(), &at.clone(), &file, told, move |reply| {
        let store = for_reply;
        let ended = adding.clone();
        let failed = move |store: &UseReducerHandle<Store>, e: JobError| {
            ended(worker::Stage::Ended, 0, 0);
            store.dispatch(Msg::Notice(Notice::Problem(match e {
                JobError::Refused(message) => message,
                e => format!("Upload of {name} failed, nothing was changed: {e}"),
            })));
        };
        let reply = match reply {
            Ok(reply) => reply,
            Err(e) => {
                timing.end();
                return failed(&store, e);
            }
        };
        // Read a part per task, each against the workspace as it is then (the plan was made
        // for the one sent); the merge is one step, added once every part is read.
        let summary = reply.summary.clone();
        let mut reader = job::MergeReader::new(reply);
        yew::platform::spawn_local(async move {
            while !reader.is_done() {
                if let Err(e) = reader.read_next(&store.state().workspace) {
                    timing.end();
                    return failed(&store, e);
                }
                let (read, parts) = reader.progress();
                adding(worker::Stage::Adding, read, parts);
                clock::next_task().await;
            }
            adding(worker::Stage::Ended, 0, 0);
            store.dispatch(Msg::Merge { merge: reader.finish(), summary, at });
            timing.end();
        });
    });
}

/// A chosen file's name: its path inside the folder when a folder was chosen.
pub fn file_name(file: &web_sys::File) -> String {
    js_sys::Reflect::get(file, &"webkitRelativePath".into()).ok().and_then(|p| p.as_string()).filter(|p| !p.is_empty()).unwrap_or_else(|| file.name())
}

/// Reads every file, telling `progress` how many are read, then calls `done` with their
/// names and bytes in the order given, or with the first that could not be read.
pub fn read_all(files: Vec<web_sys::File>, progress: impl Fn(usize, usize) + 'static, done: impl FnOnce(Result<Vec<(String, Vec<u8>)>, String>) + 'static) {
    use std::{cell::RefCell, rc::Rc};
    type Gathered = (Vec<Option<(String, Vec<u8>)>>, usize, Option<String>);
    let total = files.len();
    if total == 0 {
        return done(Ok(Vec::new()));
    }
    let gathered: Rc<RefCell<Gathered>> = Rc::new(RefCell::new((vec![None; total], 0, None)));
    let done = Rc::new(RefCell::new(Some(done)));
    let progress = Rc::new(progress);
    for (i, file) in files.into_iter().enumerate() {
        let name = file_name(&file);
        let (gathered, done, progress) = (gathered.clone(), done.clone(), progress.clone());
        read_bytes(file, move |result| {
            let finished = {
                let mut g = gathered.borrow_mut();
                match result {
                    Ok(bytes) => g.0[i] = Some((name, bytes)),
                    Err(e) => {
                        g.2.get_or_insert(format!("{name} could not be read: {e}"));
                    }
                }
                g.1 += 1;
                progress(g.1, total);
                g.1 == total
            };
            if finished {
                let (files, _, problem) = std::mem::take(&mut *gathered.borrow_mut());
                if let Some(done) = done.borrow_mut().take() {
                    done(match problem {
                        Some(p) => Err(p),
                        None => Ok(files.into_iter().flatten().collect()),
                    });
                }
            }
        });
    }
}

/// What a corpus import came to, for the component that shows it.
pub enum ImportOutcome {
    /// Done: the rows refused, each "file line N: why" (the status line has the summary).
    Done(Vec<String>),
    /// No row has the text field: choose among these (file, field looked for, fields found).
    Fields(String, String, Vec<String>),
    /// Nothing was imported, and why.
    Failed(String),
}

/// Imports a corpus through the formats worker as one undoable step, telling `progress`
/// (bytes done, bytes in all, articles) as it goes. If the workspace with the new articles
/// would not fit in the browser's storage, the import is undone and the user told: nothing
/// already here is lost, and nothing is half saved.
pub fn import_corpus(
    store: UseReducerHandle<Store>,
    files: &[(String, Vec<u8>)],
    fields: &crate::formats::corpus::FieldMap,
    progress: impl Fn(usize, usize, usize) + 'static,
    done: impl FnOnce(ImportOutcome) + 'static,
) {
    // The texts already here are skipped: known once every stored article is in.
    let (files, fields) = (files.to_vec(), fields.clone());
    storage::when_read(move || import_read(store, &files, &fields, progress, done));
}

fn import_read(
    store: UseReducerHandle<Store>,
    files: &[(String, Vec<u8>)],
    fields: &crate::formats::corpus::FieldMap,
    progress: impl Fn(usize, usize, usize) + 'static,
    done: impl FnOnce(ImportOutcome) + 'static,
) {
    let timing = timing::start("spanwright:import".to_owned());
    // Refused before anything changes when the browser's estimate says it cannot fit.
    let known = job::known_documents(&store.state().workspace, storage::room());
    let fields = serde_json::to_string(fields).expect("a field map serialises");
    worker::import(known, &fields, files, progress, move |reply| {
        let parts = match reply {
            Ok(worker::ImportReply::Done { documents, refused, summary }) => Ok((documents, refused, summary)),
            Ok(worker::ImportReply::Fields { file, wanted, fields }) => Err(ImportOutcome::Fields(file, wanted, fields)),
            Err(JobError::Refused(message)) => Err(ImportOutcome::Failed(message)),
            Err(e) => Err(ImportOutcome::Failed(format!("Nothing was imported: {e}."))),
        };
        let (documents, refused, summary) = match parts {
            Ok(parts) => parts,
            Err(outcome) => {
                timing.end();
                return done(outcome);
            }
        };
        let refused: Vec<String> = refused.iter().map(|r| r.to_string()).collect();
        // Articles added while the worker read (the same text pasted meanwhile) are not added twice.
        let documents: Vec<_> = {
            let state = store.state();
            let ws = &state.workspace;
            documents.into_iter().filter(|d| ws.document(&d.id).is_none() && ws.document_by_hash(&d.sha256).is_none()).collect()
        };
        if documents.is_empty() {
            let why = refused.first().map(|r| format!(" The first refusal: {r}.")).unwrap_or_default();
            store.dispatch(Msg::Notice(if refused.is_empty() { Notice::Info(summary) } else { Notice::Problem(format!("{summary}{why}")) }));
            timing.end();
            return done(ImportOutcome::Done(refused));
        }
        let (count, first, bytes) = (documents.len(), documents[0].id.clone(), documents.iter().map(|d| d.text.len()).sum::<usize>());
        let labels = store.state().workspace.labels.clone();
        let merge = crate::state::merge::Merge { labels, documents, sets: Vec::new(), messages: Vec::new() };
        store.dispatch(Msg::Merge { merge, summary, at: now() });
        timing.end();
        if store.state().workspace.document(&first).is_some() {
            // Saved at once, not after the usual pause, to know whether it fits; in a task of
            // its own, so the page draws the new articles first.
            let message = format!("The import was undone: {}.", crate::formats::corpus::CorpusError::DoesNotFit { articles: count, bytes });
            gloo::timers::callback::Timeout::new(0, move || {
                let undo = store.clone();
                storage::save(&store, move |saved| {
                    // Nothing was written (the transaction is all or nothing): take the
                    // articles back out of the page too, and say why.
                    if let Err(crate::storage::SaveError::Storage(crate::storage::StorageError::Full)) = saved {
                        undo.dispatch(Msg::Do(crate::state::Action::Undo, now()));
                        undo.dispatch(Msg::Notice(Notice::Problem(message)));
                    }
                });
            })
            .forget();
        }
        done(ImportOutcome::Done(refused));
    });
}
