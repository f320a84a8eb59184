//! The formats worker's side of the page ↔ worker protocol. The rules are
//! [`crate::formats::job`]'s; this only moves strings and bytes.
//!
//! The page posts `[id, "export", workspace, format]` or
//! `[id, "upload", workspace, name, at, bytes]`,
//! `[id, "agree", workspace, [set selectors], [document ids], iou]`,
//! `[id, "adjudicate", workspace, document, [set ids], k]`,
//! `[id, "gold", workspace, document, [set ids], k, decisions, set id, name, annotator, at]`,
//! `[id, "suggest", workspace, document, set id, gazetteer, speech verbs]` (answered
//! `[id, true, kinds text, numbers as bytes]`, [`job::SuggestReply`]) or
//! `[id, "gazetteer", workspace, gazetteer text]` (answered `[id, true, entries, text to keep]`),
//! `workspace` being compact Spanwright JSON as UTF-8 bytes, or
//! `[id, "import", known, fields, names, bytes…]` for a corpus ([`job::import`]: `known`
//! the workspace's ids and hashes as JSON bytes, `fields` a JSON field map, `names` the
//! files' names, then each file's bytes). An import says how far it has come with
//! `[id, "progress", bytes done, bytes in all, articles]` every [`PROGRESS_EVERY_MS`], and
//! ends with `[id, true, "done", documents, refused, summary]` (each document `[id, header
//! JSON, text, sha256]`, each refusal `[file, line or null, why]`) or, when no row has the
//! text field, `[id, true, "fields", file, wanted, fields]`.
//! The worker keeps the last workspace it read and reads it again only when the text
//! differs, so a run of exports with no edit between them pays for it once; and the
//! matchers of the last suggestion pass ([`job::Suggester`]). The answer is `[id, true, files, report]` for an export (`files` as
//! `[name, media type, content]` triples, the content as UTF-8 bytes),
//! `[id, true, merge, messages, summary]` for an upload, `[id, true, view as HTML, CSV, JSON, milliseconds taken]`
//! for agreement, `[id, true, [conflict keys], view]` for an adjudication, a gold set as an upload, or `[id, false, message]`. Large
//! texts travel as bytes whose buffers are transferred, not copied, and are never turned
//! into JavaScript strings on the way: the page makes its download straight from them.
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
    },
    model::Workspace,
};

/// How often an import says how far it has come.
pub const PROGRESS_EVERY_MS: f64 = 50.0;

thread_local! {
    /// The last workspace the page sent, as sent and as read.
    static HELD: RefCell<Option<(String, Workspace)>> = const { RefCell::new(None) };
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
            Ok(parts) => {
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

fn run(msg: &js_sys::Array) -> Result<js_sys::Array, String> {
    let text = |i: u32| msg.get(i).as_string().unwrap_or_default();
    if let Some(p) = performance() {
        let _ = p.mark(JOB_START);
    }
    let kind = format!("spanwright:worker:{}", text(1));
    let out = job(msg);
    measure(&kind);
    if let Some(p) = performance() {
        p.clear_marks_with_mark_name(JOB_START);
    }
    out
}

fn job(msg: &js_sys::Array) -> Result<js_sys::Array, String> {
    let text = |i: u32| msg.get(i).as_string().unwrap_or_default();
    if text(1) == "import" {
        return import(msg);
    }
    let json =
        String::from_utf8(js_sys::Uint8Array::new(&msg.get(2)).to_vec()).map_err(|e| format!("the workspace reached the formats worker damaged ({e})"))?;
    let fresh = HELD.with(|h| h.borrow().as_ref().is_none_or(|(held, _)| *held != json));
    if fresh {
        // Dropped first: a workspace that fails to read must not leave an older one standing in.
        HELD.with(|h| *h.borrow_mut() = None);
        let ws = job::read_workspace(&json)?;
        HELD.with(|h| *h.borrow_mut() = Some((json, ws)));
    }
    measure(&format!("spanwright:worker:{}:read", text(1)));
    HELD.with(|h| {
        let held = h.borrow();
        let Some((_, ws)) = &*held else { return Err("the formats worker lost the workspace; try again".to_owned()) };
        let strings = |xs: &[String]| xs.iter().map(|x| JsValue::from_str(x)).collect::<js_sys::Array>();
        match text(1).as_str() {
            "export" => {
                let export = job::export(&text(3), ws)?;
                let files: js_sys::Array = export
                    .files
                    .iter()
                    .map(|f| JsValue::from(js_sys::Array::of3(&f.name.as_str().into(), &f.media_type.as_str().into(), &bytes(&f.content))))
                    .collect();
                Ok(js_sys::Array::of2(&files, &strings(&export.report)))
            }
            "upload" => {
                let file = js_sys::Uint8Array::new(&msg.get(5)).to_vec();
                let up = job::upload(&text(3), &file, ws, &text(4))?;
                Ok(js_sys::Array::of3(&bytes(&up.merge), &strings(&up.messages), &up.summary.as_str().into()))
            }
            "agree" => {
                let started = js_sys::Date::now();
                let (id, scope) = (msg.get(0), js_sys::global().unchecked_into::<DedicatedWorkerGlobalScope>());
                let mut last = started;
                // How far it has come, as an import says it: [id, "progress", done, total, 0].
                let mut progress = |done: usize, total: usize| {
                    let now = js_sys::Date::now();
                    if now - last >= PROGRESS_EVERY_MS {
                        last = now;
                        let note = js_sys::Array::of2(&id, &"progress".into());
                        for n in [done, total, 0] {
                            note.push(&(n as f64).into());
                        }
                        let _ = scope.post_message(&note);
                    }
                };
                let theta = msg.get(5).as_f64().unwrap_or(crate::agreement::DEFAULT_IOU);
                let r = job::agree_with(ws, &texts(&msg.get(3)), &texts(&msg.get(4)), theta, &mut progress)?;
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
                Ok(js_sys::Array::of3(&bytes(&up.merge), &strings(&up.messages), &up.summary.as_str().into()))
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
}

/// Reads a corpus and answers with its articles, or with the fields to choose from.
fn import(msg: &js_sys::Array) -> Result<js_sys::Array, String> {
    let id = msg.get(0);
    let known = String::from_utf8(js_sys::Uint8Array::new(&msg.get(2)).to_vec()).map_err(|e| format!("the import reached the formats worker damaged ({e})"))?;
    let fields = msg.get(3).as_string().unwrap_or_default();
    let names: Vec<String> = js_sys::Array::from(&msg.get(4)).iter().map(|n| n.as_string().unwrap_or_default()).collect();
    let files: Vec<Vec<u8>> = (0..names.len() as u32).map(|i| js_sys::Uint8Array::new(&msg.get(5 + i)).to_vec()).collect();
    let sources: Vec<Source<'_>> = names.iter().zip(&files).map(|(name, bytes)| Source { name, bytes }).collect();
    let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let mut last = 0.0;
    let mut progress = |p: crate::formats::corpus::Progress| {
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
            let docs: js_sys::Array = imported
                .documents
                .iter()
                .map(|d| JsValue::from(job::document_parts(d).iter().map(|p| JsValue::from_str(p)).collect::<js_sys::Array>()))
                .collect();
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
