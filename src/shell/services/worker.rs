//! The page's side of the formats worker ([`crate::worker`], [`crate::formats::job`]):
//! started on the first export or upload, then kept. Jobs wait until it says it is ready;
//! if it cannot start (its files missing from an old offline cache, say) or stops, every
//! waiting job is told why ([`JobError::Worker`]) and the next job tries again. A job that
//! cannot be handed to it is told at once; no job waits for ever.
//!
//! A job over the workspace first hands the worker what it does not hold yet
//! ([`crate::formats::mirror`]): one batch of about [`BATCH_BYTES`] per task of the page's, so
//! a corpus reaches the worker without a long task, and a job after an edit hands over only
//! the set that changed. Each batch is made from the workspace as it is then, and the job's
//! manifest in the same task as the last one, so an edit made meanwhile is in the job too.

use std::{cell::RefCell, collections::HashMap, rc::Rc};

use wasm_bindgen::{prelude::*, JsCast};
use web_sys::{ErrorEvent, MessageEvent, Worker};

use yew::{AttrValue, UseReducerHandle};

use super::{clock, storage};
use crate::{
    formats::{
        corpus::Refused,
        job::{self, JobError, UploadReply},
        mirror::{self, Batch, Handed},
        scope::{self, Scope},
    },
    model::Document,
    shell::store::Store,
};

/// About how many bytes of texts and sets one batch of a hand-over holds: made in a few
/// milliseconds, so the page stays responsive while a corpus is handed over.
pub const BATCH_BYTES: usize = 256 * 1024;

/// Written by trunk beside the app (`data-type="worker"` in index.html), unhashed.
const SCRIPT: &str = "./formats-worker_loader.js";

/// Called with what follows `[id, true]` in the reply, or with the worker's message.
type Done = Box<dyn FnOnce(Result<js_sys::Array, JobError>)>;

#[derive(Default)]
struct Client {
    worker: Option<Worker>,
    ready: bool,
    waiting: Vec<js_sys::Array>,
    pending: HashMap<u32, Done>,
    /// What to tell as a job goes, for jobs that say (imports).
    progress: HashMap<u32, Progress>,
    next: u32,
    /// What the worker holds of the workspace; cleared whenever the worker is.
    handed: Handed,
}

/// Called with each `[bytes done, bytes in all, articles]` an import reports.
type Progress = Box<dyn Fn(usize, usize, usize)>;

thread_local! {
    static CLIENT: RefCell<Client> = RefCell::default();
}

/// A file an export made: a `Blob` of its type, made in the worker, never copied on the page.
pub struct ExportedFile {
    /// Suggested file name.
    pub name: String,
    /// The content.
    pub content: web_sys::Blob,
}

/// An export's files and what the format could not hold.
pub struct Exported {
    /// The files, in download order.
    pub files: Vec<ExportedFile>,
    /// One line per thing dropped.
    pub report: Vec<String>,
}

/// How far a job over the workspace has come: the page handing articles over, or the worker
/// working through them (articles written, documents and sets checked, …).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stage {
    /// Articles handed to the worker.
    Handing,
    /// The job itself, in the worker.
    Working,
    /// What the worker answered, read on the page a part per task (an upload's merge plan).
    Adding,
    /// Over, done or not (told by the caller that gets the answer, not by the worker).
    Ended,
}

/// Told `(stage, done, in all)` as a job goes.
pub type Told = Rc<dyn Fn(Stage, usize, usize)>;

/// Exports every set in `scope` of the store's workspace as `format`.
pub fn export(store: &UseReducerHandle<Store>, scope: Scope, format: &str, told: Told, done: impl FnOnce(Result<Exported, JobError>) + 'static) {
    let args = vec![JsValue::from_str(format)];
    send_held(store, scope, "export", args, Some(told), Box::new(move |reply| done(reply.map(|parts| exported(&parts)))));
}

/// The `scope` of the store's workspace as *Download JSON* saves it: compact Spanwright JSON.
pub fn save(store: &UseReducerHandle<Store>, scope: Scope, told: Told, done: impl FnOnce(Result<web_sys::Blob, JobError>) + 'static) {
    send_held(store, scope, "save", Vec::new(), Some(told), Box::new(move |reply| done(reply.map(|parts| parts.get(0).unchecked_into()))));
}

/// The adjudication of the sets `sets` of `doc`, spans taken at once when `k` sets have them:
/// the conflicts' keys and the view's blocks ([`crate::agreement::view::conflicts`]).
pub fn adjudication(
    store: &UseReducerHandle<Store>,
    doc: &str,
    sets: &[String],
    k: usize,
    done: impl FnOnce(Result<(Vec<String>, Vec<Vec<String>>), JobError>) + 'static,
) {
    let args = vec![JsValue::from_str(doc), list(sets), JsValue::from_f64(k as f64)];
    send_held(
        store,
        Scope::Listed(vec![doc.to_owned()]),
        "adjudicate",
        args,
        None,
        Box::new(move |reply| {
            done(reply.and_then(|parts| {
                let blocks = serde_json::from_slice(&view(parts.get(1)).to_vec()).map_err(|e| JobError::Reply(e.to_string()))?;
                Ok((texts(&parts.get(0)), blocks))
            }))
        }),
    );
}

/// The gold set of that adjudication with these decisions (as text), as an upload brings a
/// set.
#[allow(clippy::too_many_arguments)]
pub fn gold(
    store: &UseReducerHandle<Store>,
    doc: &str,
    sets: &[String],
    k: usize,
    decisions: &str,
    set: (&str, &str, &str),
    at: &str,
    done: impl FnOnce(Result<UploadReply, JobError>) + 'static,
) {
    let (id, name, annotator) = set;
    let args = [doc, "", "", decisions, id, name, annotator, at].map(JsValue::from_str);
    let mut args = args.to_vec();
    args[1] = list(sets);
    args[2] = JsValue::from_f64(k as f64);
    let scope = Scope::Listed(vec![doc.to_owned()]);
    send_held(store, scope, "gold", args, None, Box::new(move |reply| done(reply.and_then(|parts| upload_reply(&parts)))));
}

fn list(xs: &[String]) -> JsValue {
    xs.iter().map(|x| JsValue::from_str(x)).collect::<js_sys::Array>().into()
}

fn upload_reply(parts: &js_sys::Array) -> Result<UploadReply, JobError> {
    let merge = js_sys::Array::from(&parts.get(0))
        .iter()
        .map(|part| String::from_utf8(view(part).to_vec()).map_err(|e| JobError::Reply(e.to_string())))
        .collect::<Result<_, _>>()?;
    Ok(UploadReply { merge, messages: texts(&parts.get(1)), summary: text(&parts.get(2)) })
}

/// Reads an uploaded file against the store's workspace: the file goes to the worker as it
/// was chosen and is read there, never copied on the page.
pub fn upload(
    store: &UseReducerHandle<Store>,
    name: &str,
    at: &str,
    file: &web_sys::Blob,
    told: Told,
    done: impl FnOnce(Result<UploadReply, JobError>) + 'static,
) {
    let args = vec![JsValue::from_str(name), JsValue::from_str(at), file.into()];
    send_held(store, Scope::All, "upload", args, Some(told), Box::new(move |reply| done(reply.and_then(|parts| upload_reply(&parts)))));
}

/// An agreement report for the page: the view as HTML ([`crate::agreement::view::to_html`])
/// and the report as CSV and JSON, as bytes for download.
pub struct Agreement {
    /// What to draw, every text escaped.
    pub html: AttrValue,
    /// The report as CSV.
    pub csv: js_sys::ArrayBuffer,
    /// The report as indented JSON.
    pub json: js_sys::ArrayBuffer,
    /// How long the worker took to measure and lay it out, in milliseconds.
    pub took: f64,
}

/// The agreement of the sets `selectors` names over the documents `docs` (all when empty)
/// of the store's workspace, overlap at IoU ≥ `iou`.
pub fn agree(
    store: &UseReducerHandle<Store>,
    selectors: &[String],
    docs: &[String],
    iou: f64,
    told: Told,
    done: impl FnOnce(Result<Agreement, JobError>) + 'static,
) {
    let args = vec![list(selectors), list(docs), JsValue::from_f64(iou)];
    // Only the compared articles are handed over.
    let scope = if docs.is_empty() { Scope::All } else { Scope::Listed(docs.to_vec()) };
    send_held(
        store,
        scope,
        "agree",
        args,
        Some(told),
        Box::new(move |reply| {
            done(reply.map(|parts| {
                let buffer = |i: u32| view(parts.get(i)).buffer();
                Agreement { html: text(&parts.get(0)).into(), csv: buffer(1), json: buffer(2), took: parts.get(3).as_f64().unwrap_or(f64::NAN) }
            }))
        }),
    );
}

/// Reads a gazetteer in the worker ([`crate::formats::job::gazetteer`]): how many entries and
/// the text to keep, or why not.
pub fn gazetteer(workspace: String, gazetteer: &str, done: impl FnOnce(Result<(usize, String), JobError>) + 'static) {
    let args = [JsValue::from_str(gazetteer)];
    send("gazetteer", workspace, &args, Box::new(move |reply| done(reply.map(|parts| (parts.get(0).as_f64().unwrap_or(0.0) as usize, text(&parts.get(1)))))));
}

/// The suggestions for document `doc` in set `set` (empty for none) of `workspace`, with the
/// kept gazetteer text and comma-separated extra speech verbs
/// ([`crate::formats::job::suggest`]): worked out in the worker, where the matcher's code is.
pub fn suggest(
    store: &UseReducerHandle<Store>,
    doc: &str,
    set: &str,
    gazetteer: &str,
    verbs: &str,
    done: impl FnOnce(Result<job::SuggestReply, JobError>) + 'static,
) {
    let args = vec![JsValue::from_str(doc), JsValue::from_str(set), JsValue::from_str(gazetteer), JsValue::from_str(verbs)];
    // The dictionary spans the corpus: the whole workspace, handed over as exports hand it
    // (only what the worker does not hold yet, in batches), never serialised whole on the page.
    send_held(
        store,
        Scope::All,
        "suggest",
        args,
        None,
        Box::new(move |reply| done(reply.map(|parts| job::SuggestReply { kinds: text(&parts.get(0)), places: view(parts.get(1)).to_vec() }))),
    );
}

/// What an import brought back.
pub enum ImportReply {
    /// The articles, the refused rows and the summary line.
    Done {
        /// New articles.
        documents: Vec<Document>,
        /// Rows and files refused.
        refused: Vec<Refused>,
        /// "Imported 497 articles; 3 refused."
        summary: String,
    },
    /// No row of `file` has the field `wanted`: which of `fields` holds the text?
    Fields {
        /// The file.
        file: String,
        /// The field looked for.
        wanted: String,
        /// The fields found.
        fields: Vec<String>,
    },
}

/// Imports `files` (name and bytes) against the workspace's `known` documents
/// ([`job::known_documents`]) with the field map `fields` (JSON), telling `progress` how far
/// it has come.
pub fn import(
    known: String,
    fields: &str,
    files: &[(String, Vec<u8>)],
    progress: impl Fn(usize, usize, usize) + 'static,
    done: impl FnOnce(Result<ImportReply, JobError>) + 'static,
) {
    let names: js_sys::Array = files.iter().map(|(n, _)| JsValue::from_str(n)).collect();
    let mut args = vec![JsValue::from_str(fields), names.into()];
    args.extend(files.iter().map(|(_, b)| JsValue::from(js_sys::Uint8Array::from(b.as_slice()))));
    let id = CLIENT.with(|c| c.borrow().next);
    CLIENT.with(|c| c.borrow_mut().progress.insert(id, Box::new(progress)));
    send(
        "import",
        known,
        &args,
        Box::new(move |reply| match reply.and_then(|parts| import_reply(&parts)) {
            Ok(Imported::Fields(fields)) => done(Ok(fields)),
            Ok(Imported::Packed { mut documents, refused, summary }) => wasm_bindgen_futures::spawn_local(async move {
                // Read a part per task: 2,000 articles made into strings at once held the page
                // for about 60 ms.
                let mut read = Vec::new();
                while !documents.is_done() {
                    match documents.take(UNPACK_BYTES) {
                        Ok(part) => read.extend(part),
                        Err(e) => return done(Err(e)),
                    }
                    clock::next_task().await;
                }
                done(Ok(ImportReply::Done { documents: read, refused, summary }))
            }),
            Err(e) => done(Err(e)),
        }),
    );
}

/// About how many bytes of imported articles the page reads back per task.
const UNPACK_BYTES: usize = 1024 * 1024;

/// An import's reply as it arrives: the articles still packed.
enum Imported {
    Fields(ImportReply),
    Packed { documents: job::Unpacker, refused: Vec<Refused>, summary: String },
}

fn import_reply(parts: &js_sys::Array) -> Result<Imported, JobError> {
    if text(&parts.get(0)) == "fields" {
        return Ok(Imported::Fields(ImportReply::Fields { file: text(&parts.get(1)), wanted: text(&parts.get(2)), fields: texts(&parts.get(3)) }));
    }
    let documents = job::Unpacker::new(view(parts.get(1)).to_vec());
    let refused = js_sys::Array::from(&parts.get(2))
        .iter()
        .map(|r| {
            let r = js_sys::Array::from(&r);
            Refused { file: text(&r.get(0)), line: r.get(1).as_f64().map(|l| l as usize), why: text(&r.get(2)) }
        })
        .collect();
    Ok(Imported::Packed { documents, refused, summary: text(&parts.get(3)) })
}

fn exported(parts: &js_sys::Array) -> Exported {
    let files = js_sys::Array::from(&parts.get(0))
        .iter()
        .map(|f| {
            let f = js_sys::Array::from(&f);
            ExportedFile { name: text(&f.get(0)), content: f.get(1).unchecked_into() }
        })
        .collect();
    Exported { files, report: texts(&parts.get(1)) }
}

/// The bytes of a reply, without copying them as `Uint8Array::new` would (none when there are
/// none).
fn view(v: JsValue) -> js_sys::Uint8Array {
    v.dyn_into().unwrap_or_else(|_| js_sys::Uint8Array::new_with_length(0))
}

fn text(v: &JsValue) -> String {
    v.as_string().unwrap_or_default()
}

fn texts(v: &JsValue) -> Vec<String> {
    js_sys::Array::from(v).iter().map(|x| text(&x)).collect()
}

/// Sends a job whose workspace travels whole, as compact Spanwright JSON (the suggestion
/// jobs; the others hand it over with [`send_held`]).
fn send(kind: &str, workspace: String, args: &[JsValue], done: Done) {
    let id = CLIENT.with(|c| {
        let mut c = c.borrow_mut();
        let id = c.next;
        c.next += 1;
        c.pending.insert(id, done);
        id
    });
    let ws = js_sys::Uint8Array::from(workspace.as_bytes());
    let msg = js_sys::Array::of3(&id.into(), &kind.into(), &ws);
    for a in args {
        msg.push(a);
    }
    deliver(id, &msg);
}

/// Starts the worker if there is none (a new one holds nothing of the workspace).
fn start(c: &mut Client) -> Result<(), String> {
    if c.worker.is_none() {
        let w = Worker::new(SCRIPT).map_err(|e| format!("the browser would not start the formats worker ({})", describe(&e)))?;
        listen(&w);
        c.worker = Some(w);
        c.ready = false;
        c.handed.clear();
    }
    Ok(())
}

/// Posts a message for job `id` (or keeps it until the worker is ready); the job is told at
/// once when that fails. False when it failed.
fn deliver(id: u32, msg: &js_sys::Array) -> bool {
    let started = CLIENT.with(|c| {
        let mut c = c.borrow_mut();
        start(&mut c)?;
        match (&c.worker, c.ready) {
            (Some(w), true) => Ok(post(w, msg).err()),
            _ => {
                c.waiting.push(msg.clone());
                Ok(None)
            }
        }
    });
    match started {
        Err(why) => fail_all(why),
        Ok(Some(why)) => fail_one(id, why),
        Ok(None) => return true,
    }
    false
}

/// Runs job `kind` over `scope` of the store's workspace: hands over what the worker does not
/// hold yet, one batch per task, then sends the job with the manifest of the scope.
/// `told` hears of the hand-over when it takes more than one batch, and of the job's progress.
fn send_held(store: &UseReducerHandle<Store>, scope: Scope, kind: &'static str, args: Vec<JsValue>, told: Option<Told>, done: Done) {
    let id = CLIENT.with(|c| {
        let mut c = c.borrow_mut();
        let id = c.next;
        c.next += 1;
        c.pending.insert(id, done);
        if let Some(told) = told.clone() {
            c.progress.insert(id, Box::new(move |done, total, _| told(Stage::Working, done, total)));
        }
        id
    });
    // Over the whole workspace: after the stored articles still being read are in.
    let store = store.clone();
    storage::when_read(move || hand_over(store, Rc::new(scope), kind, Rc::new(args), id, told, (0, None)));
}

/// One task of a hand-over: a batch, or, when the worker holds the whole scope, the job.
/// `so_far` is (articles handed over, articles to hand over when it began).
fn hand_over(
    store: UseReducerHandle<Store>,
    scope: Rc<Scope>,
    kind: &'static str,
    args: Rc<Vec<JsValue>>,
    id: u32,
    told: Option<Told>,
    so_far: (usize, Option<usize>),
) {
    // A job already failed (its worker stopped) goes no further.
    if CLIENT.with(|c| !c.borrow().pending.contains_key(&id)) {
        return;
    }
    let next = {
        let state = store.state();
        let ws = &state.workspace;
        let selection = scope::select(ws, &scope);
        CLIENT.with(|c| {
            let mut c = c.borrow_mut();
            let total = so_far.1.unwrap_or_else(|| c.handed.pending_articles(&selection));
            match c.handed.next_batch(ws, &selection, BATCH_BYTES) {
                Some(batch) => Ok((batch, total)),
                None => Err(mirror::manifest(ws, &selection)),
            }
        })
    };
    match next {
        Ok((batch, total)) => {
            let handed = so_far.0 + batch.articles;
            if !deliver(id, &hold_message(id, &batch)) {
                // The worker may hold part of it: hand everything over next time.
                CLIENT.with(|c| c.borrow_mut().handed.clear());
                return;
            }
            if let Some(told) = told.as_ref().filter(|_| handed < total || so_far.0 > 0) {
                told(Stage::Handing, handed.min(total), total);
            }
            gloo::timers::callback::Timeout::new(0, move || hand_over(store, scope, kind, args, id, told, (handed, Some(total)))).forget();
        }
        Err(manifest) => {
            let msg = js_sys::Array::of3(&id.into(), &kind.into(), &manifest.into());
            for a in args.iter() {
                msg.push(a);
            }
            deliver(id, &msg);
        }
    }
}

/// `[id, "hold", sets, [[id, header JSON, text, sha256], …]]`, texts and sets as bytes.
fn hold_message(id: u32, batch: &Batch) -> js_sys::Array {
    let documents: js_sys::Array = batch
        .documents
        .iter()
        .map(|d| {
            let parts = js_sys::Array::of3(&d.id.as_str().into(), &d.meta.as_str().into(), &js_sys::Uint8Array::from(d.text.as_bytes()));
            parts.push(&d.sha256.as_str().into());
            JsValue::from(parts)
        })
        .collect();
    js_sys::Array::of4(&id.into(), &"hold".into(), &js_sys::Uint8Array::from(batch.sets.as_bytes()), &documents)
}

/// Posts a job, handing over (not copying) the buffers of its byte arrays, in the message and
/// in arrays in it, two levels deep; says why when the browser refuses it (a buffer that
/// cannot be transferred, a worker that is gone).
fn post(worker: &Worker, msg: &js_sys::Array) -> Result<(), String> {
    let transfer = js_sys::Array::new();
    buffers(msg, &transfer, 2);
    worker.post_message_with_transfer(msg, &transfer).map_err(|e| format!("the job could not be handed to the formats worker ({}); try again", describe(&e)))
}

fn buffers(value: &js_sys::Array, into: &js_sys::Array, depth: u32) {
    for v in value.iter() {
        if let Some(bytes) = v.dyn_ref::<js_sys::Uint8Array>() {
            into.push(&bytes.buffer());
        } else if let Some(inner) = v.dyn_ref::<js_sys::Array>().filter(|_| depth > 0) {
            buffers(inner, into, depth - 1);
        }
    }
}

/// Ends one job with `why`.
fn fail_one(id: u32, why: String) {
    // Taken out before it runs: it may dispatch, and dispatching may send another job.
    let done = CLIENT.with(|c| {
        let mut c = c.borrow_mut();
        c.progress.remove(&id);
        c.pending.remove(&id)
    });
    if let Some(done) = done {
        done(Err(JobError::Worker(why)));
    }
}

fn listen(worker: &Worker) {
    let on_message = Closure::<dyn FnMut(MessageEvent)>::new(|e: MessageEvent| {
        let data = e.data();
        if data.as_string().as_deref() == Some("ready") {
            let failed: Vec<(u32, String)> = CLIENT.with(|c| {
                let mut c = c.borrow_mut();
                c.ready = true;
                let waiting = std::mem::take(&mut c.waiting);
                let Some(w) = &c.worker else { return Vec::new() };
                waiting.iter().filter_map(|msg| post(w, msg).err().map(|why| (msg.get(0).as_f64().unwrap_or(-1.0) as u32, why))).collect()
            });
            for (id, why) in failed {
                fail_one(id, why);
            }
            return;
        }
        let reply: js_sys::Array = data.unchecked_into();
        let id = reply.get(0).as_f64().unwrap_or(-1.0) as u32;
        if reply.get(1).as_string().as_deref() == Some("progress") {
            let n = |i| reply.get(i).as_f64().unwrap_or(0.0) as usize;
            CLIENT.with(|c| c.borrow().progress.get(&id).map(|tell| tell(n(2), n(3), n(4))));
            return;
        }
        let ok = reply.get(1).as_bool() == Some(true);
        // Taken out before it runs: it may dispatch, and dispatching may send another job.
        let done = CLIENT.with(|c| {
            let mut c = c.borrow_mut();
            c.progress.remove(&id);
            c.pending.remove(&id)
        });
        if !ok && text(&reply.get(2)) == mirror::LOST {
            CLIENT.with(|c| c.borrow_mut().handed.clear());
        }
        if let Some(done) = done {
            done(if ok { Ok(reply.slice(2, reply.length())) } else { Err(JobError::Refused(text(&reply.get(2)))) });
        }
    });
    let on_error = Closure::<dyn FnMut(ErrorEvent)>::new(|e: ErrorEvent| {
        e.prevent_default();
        let why = match e.message() {
            m if m.is_empty() => "its files could not be loaded".to_owned(),
            m => m,
        };
        fail_all(format!("the formats worker stopped ({why}); try again, or reload the page"));
    });
    worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
    // They live as long as the page: the worker is kept once started.
    on_message.forget();
    on_error.forget();
}

/// Tells every waiting job why it failed, and drops the worker so the next job starts anew.
fn fail_all(why: String) {
    let pending: Vec<Done> = CLIENT.with(|c| {
        let mut c = c.borrow_mut();
        if let Some(w) = c.worker.take() {
            w.terminate();
        }
        c.handed.clear();
        c.ready = false;
        c.waiting.clear();
        c.progress.clear();
        c.pending.drain().map(|(_, done)| done).collect()
    });
    for done in pending {
        done(Err(JobError::Worker(why.clone())));
    }
}

fn describe(e: &JsValue) -> String {
    e.dyn_ref::<js_sys::Error>().map(|e| String::from(e.message())).unwrap_or_else(|| format!("{e:?}"))
}
