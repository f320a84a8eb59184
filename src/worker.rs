//! The formats worker's side of the page ↔ worker protocol. The rules are
//! [`crate::formats::job`]'s and [`crate::formats::mirror`]'s; this only moves strings and bytes.
//!
//! The page hands over the documents and sets the worker does not hold yet with
//! `[id, "hold", sets, [[document id, header JSON, text, sha256], …]]` (`sets` a Spanwright
//! file as UTF-8 bytes, or empty; texts as bytes; no answer), then posts a job
//! `[id, kind, workspace, …]` whose `workspace` is either a manifest of what it holds (a
//! string: [`mirror::manifest`]) or a whole workspace as compact Spanwright JSON in UTF-8 bytes.
//! The jobs:
//! `[id, "export", workspace, format]`, `[id, "save", workspace]` (*Download JSON*),
//! `[id, "upload", workspace, name, at, file]` (the `File` as chosen, or bytes),
//! `[id, "agree", workspace, [set selectors], [document ids], iou]`,
//! `[id, "adjudicate", workspace, document, [set ids], k]`,
//! `[id, "gold", workspace, document, [set ids], k, decisions, set id, name, annotator, at]`,
//! `[id, "suggest", workspace, document, set id, gazetteer, speech verbs]` (answered
//! `[id, true, kinds text, numbers as bytes]`, [`job::SuggestReply`]) or
//! `[id, "gazetteer", workspace, gazetteer text]` (answered `[id, true, entries, text to keep]`),
//! or `[id, "import", known, fields, names, bytes…]` for a corpus ([`job::import`]: `known`
//! the workspace's ids and hashes as JSON bytes, `fields` a JSON field map, `names` the
//! files' names, then each file's bytes). A long job says how far it has come with
//! `[id, "progress", done, in all, articles]` every [`PROGRESS_EVERY_MS`]: an import in bytes
//! read (and articles found), an export or a download in articles written, an upload in
//! documents and sets checked, agreement in documents compared. An import ends with
//! `[id, true, "done", documents, refused, summary]` (the documents packed in one byte
//! array, [`job::pack_documents`], each refusal `[file, line or null, why]`) or, when no row has the
//! text field, `[id, true, "fields", file, wanted, fields]`.
//! The worker keeps the last workspace it built or read and builds or reads it again only
//! when something changed, so a run of exports with no edit between them pays for it once.
//! It keeps too the matchers of the last suggestion pass ([`job::Suggester`]).
//! The answer is `[id, true, files, report]` for an export (`files` as `[name, Blob]` pairs,
//! each `Blob` of its media type), `[id, true, Blob]` for a download, `[id, true, [merge plan parts as bytes], messages, summary]` for an upload (the file sent as the `File` chosen, read here), `[id, true, view as HTML, CSV, JSON, milliseconds taken]`
//! for agreement, `[id, true, [conflict keys], view]` for an adjudication, a gold set as an upload, or `[id, false, message]`. Large
//! texts travel as bytes whose buffers are transferred, not copied, or as `Blob`s made here,
//! and are never turned into JavaScript strings on the way: the page saves a download
//! without copying it.
//! The worker says `"ready"` once, when it can take jobs (messages sent before then would
//! find no listener). It times every job in its own User Timing measures, for `make bench`
//! and devtools: `spanwright:worker:KIND` the whole job, and `spanwright:worker:KIND:read`
//! the part spent reading the workspace sent (next to nothing when it held it already).

use std::cell::RefCell;

use wasm_bindgen::{prelude::*, JsCast};
use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};

use crate::{
    formats::{
        corpus::{CorpusError, Source},
        job,
        mirror::{self, Held},
    },
    model::Workspace,
};

/// How often an import says how far it has come.
pub const PROGRESS_EVERY_MS: f64 = 50.0;

thread_local! {
    /// The last whole workspace the page sent, as sent and as read.
    static HELD: RefCell<Option<(String, Workspace)>> = const { RefCell::new(None) };
    /// The documents and sets the page handed over, and the workspace last built of them.
    static MIRROR: RefCell<Held> = RefCell::default();
    /// The matchers of the last suggestion pass, kept while their entries stay the same.
    static SUGGESTER: RefCell<job::Suggester> = RefCell::default();
}

/// Listens for jobs and says it is ready.
pub fn start() {
    let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let replies = scope.clone();
    let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |e: MessageEvent| {
        let msg: js_sys::Array = e.data().unchecked_into();
        let reply = js_sys::Array::of1(&msg.get(0));
        match run(&msg) {
            // A hand-over is not answered; one that does not read is told by the next job.
            Ok(None) => return,
            Ok(Some(parts)) => {
                reply.push(&JsValue::TRUE);
                for part in parts.iter() {
                    reply.push(&part);
                }
            }
            Err(message) => {
                reply.push(&JsValue::FALSE);
                reply.push(&JsValue::from_str(&message));
            }
        }
        // The byte buffers in the reply are handed over, not copied.
        let transfer = js_sys::Array::new();
        collect_buffers(&reply, &transfer);
        let _ = replies.post_message_with_transfer(&reply, &transfer);
    });
    scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    on_message.forget();
    let _ = scope.post_message(&JsValue::from_str("ready"));
}

/// The buffers of every byte array in `value`, arrays searched two levels deep.
fn collect_buffers(value: &js_sys::Array, into: &js_sys::Array) {
    for v in value.iter() {
        if let Some(bytes) = v.dyn_ref::<js_sys::Uint8Array>() {
            into.push(&bytes.buffer());
        } else if let Some(inner) = v.dyn_ref::<js_sys::Array>() {
            collect_buffers(inner, into);
        }
    }
}

/// The strings of a JavaScript array.
fn texts(v: &JsValue) -> Vec<String> {
    js_sys::Array::from(v).iter().filter_map(|x| x.as_string()).collect()
}

/// A string as UTF-8 bytes in a byte array of its own.
fn bytes(s: &str) -> JsValue {
    js_sys::Uint8Array::from(s.as_bytes()).into()
}

/// A file to download as a `Blob` of its type, made here: the page saves it without copying
/// its content (a `Blob` travels to the page as a handle).
fn blob(content: &str, media_type: &str) -> Result<JsValue, String> {
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(media_type);
    web_sys::Blob::new_with_u8_array_sequence_and_options(&js_sys::Array::of1(&bytes(content)), &options)
        .map(JsValue::from)
        .map_err(|_| "the formats worker could not make the file".to_owned())
}

/// The bytes a message carries, without copying them as `Uint8Array::new` would (an empty
/// array when there are none).
/// Strings as UTF-8 bytes, each in a byte array of its own.
fn parts(xs: &[String]) -> js_sys::Array {
    xs.iter().map(|x| bytes(x)).collect()
}

/// The bytes of a file the page sent as it was chosen (a `Blob`, read here so the page never
/// copies it), or as bytes.
fn file_bytes(v: JsValue) -> Result<Vec<u8>, String> {
    let Some(blob) = v.dyn_ref::<web_sys::Blob>() else { return Ok(view(v).to_vec()) };
    let unread = |e: JsValue| {
        let why = e.dyn_ref::<js_sys::Error>().map(|e| String::from(e.message())).or_else(|| e.as_string()).unwrap_or_else(|| "no reason given".into());
        format!("the file could not be read ({why})")
    };
    let buffer = web_sys::FileReaderSync::new().map_err(unread)?.read_as_array_buffer(blob).map_err(unread)?;
    Ok(js_sys::Uint8Array::new(&buffer).to_vec())
}

fn view(v: JsValue) -> js_sys::Uint8Array {
    v.dyn_into().unwrap_or_else(|_| js_sys::Uint8Array::new_with_length(0))
}

/// Posts `[id, "progress", done, in all, third]` at most every [`PROGRESS_EVERY_MS`], the
/// first after that long (a quick job says nothing).
fn progress(id: JsValue, third: usize) -> impl FnMut(usize, usize) {
    let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let mut last = js_sys::Date::now();
    move |done, total| {
        let now = js_sys::Date::now();
        if now - last >= PROGRESS_EVERY_MS {
            last = now;
            let note = js_sys::Array::of2(&id, &"progress".into());
            for n in [done, total, third] {
                note.push(&(n as f64).into());
            }
            let _ = scope.post_message(&note);
        }
    }
}

/// The worker's User Timing, for the measures of its jobs.
fn performance() -> Option<web_sys::Performance> {
    js_sys::global().unchecked_into::<web_sys::WorkerGlobalScope>().performance()
}

/// Where each job's measures start.
const JOB_START: &str = "spanwright:worker:start";

/// Records the measure `name`, from the start of the job to now.
fn measure(name: &str) {
    if let Some(p) = performance() {
        let _ = p.measure_with_start_mark(name, JOB_START);
    }
}

/// Takes what the page hands over.
fn hold(msg: &js_sys::Array) -> Result<(), String> {
    let utf8 = |v: JsValue| String::from_utf8(view(v).to_vec()).map_err(|e| format!("an article reached the formats worker damaged ({e})"));
    let sets = utf8(msg.get(2))?;
    let documents = js_sys::Array::from(&msg.get(3))
        .iter()
        .map(|d| {
            let d = js_sys::Array::from(&d);
            let text = |i| d.get(i).as_string().unwrap_or_default();
            Ok((text(0), text(1), utf8(d.get(2))?, text(3)))
        })
        .collect::<Result<Vec<_>, String>>()?;
    MIRROR.with(|m| m.borrow_mut().take(documents, &sets))
}

/// Runs `job` on the workspace a message names: a manifest of what the page handed over, or
/// a whole workspace as Spanwright JSON. (A `dyn` job: a generic one was laid down twice.)
fn with_workspace(source: JsValue, kind: &str, job: &mut dyn FnMut(&Workspace) -> Result<js_sys::Array, String>) -> Result<js_sys::Array, String> {
    if let Some(manifest) = source.as_string() {
        return MIRROR.with(|m| {
            let mut m = m.borrow_mut();
            let ws = m.workspace(&manifest)?;
            measure(&format!("spanwright:worker:{kind}:read"));
            job(ws)
        });
    }
    let json = String::from_utf8(view(source).to_vec()).map_err(|e| format!("the workspace reached the formats worker damaged ({e})"))?;
    let fresh = HELD.with(|h| h.borrow().as_ref().is_none_or(|(held, _)| *held != json));
    if fresh {
        // Dropped first: a workspace that fails to read must not leave an older one standing in.
        HELD.with(|h| *h.borrow_mut() = None);
        let ws = job::read_workspace(&json)?;
        HELD.with(|h| *h.borrow_mut() = Some((json, ws)));
    }
    measure(&format!("spanwright:worker:{kind}:read"));
    HELD.with(|h| {
        let held = h.borrow();
        let Some((_, ws)) = &*held else { return Err(mirror::LOST.to_owned()) };
        job(ws)
    })
}

/// Runs a job, timed in the worker's own User Timing (`spanwright:worker:KIND`).
fn run(msg: &js_sys::Array) -> Result<Option<js_sys::Array>, String> {
    if let Some(p) = performance() {
        let _ = p.mark(JOB_START);
    }
    let kind = msg.get(1).as_string().unwrap_or_default();
    let out = job(msg, &kind);
    measure(&format!("spanwright:worker:{kind}"));
    if let Some(p) = performance() {
        p.clear_marks_with_mark_name(JOB_START);
    }
    out
}

fn job(msg: &js_sys::Array, kind: &str) -> Result<Option<js_sys::Array>, String> {
    let text = |i: u32| msg.get(i).as_string().unwrap_or_default();
    match text(1).as_str() {
        "import" => return import(msg).map(Some),
        "hold" => {
            // Kept for the next job, which says it if the hand-over did not read.
            let _ = hold(msg);
            return Ok(None);
        }
        _ => {}
    }
    let id = msg.get(0);
    with_workspace(msg.get(2), kind, &mut |ws| {
        let id = id.clone();
        let strings = |xs: &[String]| xs.iter().map(|x| JsValue::from_str(x)).collect::<js_sys::Array>();
        match text(1).as_str() {
            "export" => {
                let export = job::export(&text(3), ws, &mut progress(id, 0))?;
                let files = js_sys::Array::new();
                for f in &export.files {
                    files.push(&js_sys::Array::of2(&f.name.as_str().into(), &blob(&f.content, &f.media_type)?));
                }
                Ok(js_sys::Array::of2(&files, &strings(&export.report)))
            }
            "save" => Ok(js_sys::Array::of1(&blob(&job::save(ws, &mut progress(id, 0)), "application/json")?)),
            "upload" => {
                let file = file_bytes(msg.get(5)).map_err(|e| format!("Upload of {} failed, nothing was changed: {e}", text(3)))?;
                let up = job::upload(&text(3), &file, ws, &text(4), &mut progress(id, 0))?;
                Ok(js_sys::Array::of3(&parts(&up.merge), &strings(&up.messages), &up.summary.as_str().into()))
            }
            "agree" => {
                let started = js_sys::Date::now();
                let theta = msg.get(5).as_f64().unwrap_or(crate::agreement::DEFAULT_IOU);
                let r = job::agree_with(ws, &texts(&msg.get(3)), &texts(&msg.get(4)), theta, &mut progress(id, 0))?;
                let took = js_sys::Date::now() - started;
                Ok(js_sys::Array::of4(&r.html.as_str().into(), &bytes(&r.csv), &bytes(&r.json), &took.into()))
            }
            "adjudicate" => {
                let (keys, blocks) = job::adjudication(ws, &text(3), &texts(&msg.get(4)), msg.get(5).as_f64().unwrap_or(2.0) as usize)?;
                Ok(js_sys::Array::of2(&strings(&keys), &bytes(&blocks)))
            }
            "gold" => {
                let k = msg.get(5).as_f64().unwrap_or(2.0) as usize;
                let up = job::gold(ws, &text(3), &texts(&msg.get(4)), k, &text(6), &text(7), &text(8), &text(9), &text(10))?;
                Ok(js_sys::Array::of3(&parts(&up.merge), &strings(&up.messages), &up.summary.as_str().into()))
            }
            "suggest" => {
                let reply = SUGGESTER.with(|s| s.borrow_mut().suggest(ws, &text(3), &text(4), &text(5), &text(6)))?;
                let places = js_sys::Uint8Array::from(reply.places.as_slice());
                Ok(js_sys::Array::of2(&reply.kinds.as_str().into(), &places))
            }
            "gazetteer" => {
                let (n, kept) = job::gazetteer(ws, &text(3))?;
                Ok(js_sys::Array::of2(&(n as f64).into(), &kept.as_str().into()))
            }
            other => Err(format!("the formats worker has no job “{other}”")),
        }
    })
    .map(Some)
}

/// Reads a corpus and answers with its articles, or with the fields to choose from.
fn import(msg: &js_sys::Array) -> Result<js_sys::Array, String> {
    let id = msg.get(0);
    let known = String::from_utf8(view(msg.get(2)).to_vec()).map_err(|e| format!("the import reached the formats worker damaged ({e})"))?;
    let fields = msg.get(3).as_string().unwrap_or_default();
    let names: Vec<String> = js_sys::Array::from(&msg.get(4)).iter().map(|n| n.as_string().unwrap_or_default()).collect();
    let files: Vec<Vec<u8>> = (0..names.len() as u32).map(|i| view(msg.get(5 + i)).to_vec()).collect();
    let sources: Vec<Source<'_>> = names.iter().zip(&files).map(|(name, bytes)| Source { name, bytes }).collect();
    let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let mut last = 0.0;
    let mut progress = |p: crate::formats::corpus::Progress| {
        // From the first bytes on: an import is long enough to show its bar at once.
        let now = js_sys::Date::now();
        if now - last >= PROGRESS_EVERY_MS {
            last = now;
            let note = js_sys::Array::of2(&id, &"progress".into());
            for n in [p.bytes_done, p.bytes_total, p.articles] {
                note.push(&(n as f64).into());
            }
            let _ = scope.post_message(&note);
        }
    };
    match job::import(&sources, &fields, &known, &mut progress) {
        Ok(imported) => {
            let docs = js_sys::Uint8Array::from(job::pack_documents(&imported.documents).as_slice());
            let refused: js_sys::Array = imported
                .refused
                .iter()
                .map(|r| {
                    JsValue::from(js_sys::Array::of3(&r.file.as_str().into(), &r.line.map_or(JsValue::NULL, |l| (l as f64).into()), &r.why.as_str().into()))
                })
                .collect();
            let reply = js_sys::Array::of3(&"done".into(), &docs, &refused);
            reply.push(&imported.summary().into());
            Ok(reply)
        }
        Err(CorpusError::NeedFields { file, wanted, fields }) => {
            let fields: js_sys::Array = fields.iter().map(|f| JsValue::from_str(f)).collect();
            Ok(js_sys::Array::of4(&"fields".into(), &file.into(), &wanted.into(), &fields))
        }
        Err(e) => Err(format!("Nothing was imported: {e}.")),
    }
}
