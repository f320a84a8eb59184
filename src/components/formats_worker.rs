//! The page's side of the formats worker ([`crate::worker`], [`crate::formats::job`]):
//! started on the first export or upload, then kept. Jobs wait until it says it is ready;
//! if it cannot start (its files missing from an old offline cache, say), every waiting job
//! is told why and the next job tries again.

use std::{cell::RefCell, collections::HashMap};

use serde::de::DeserializeOwned;
use wasm_bindgen::{prelude::*, JsCast};
use web_sys::{ErrorEvent, MessageEvent, Worker};

use crate::formats::job::{ExportReply, UploadReply};

/// Written by trunk beside the app (`data-type="worker"` in index.html), unhashed.
const SCRIPT: &str = "./formats-worker_loader.js";

type Done = Box<dyn FnOnce(Result<String, String>)>;

#[derive(Default)]
struct Client {
    worker: Option<Worker>,
    ready: bool,
    waiting: Vec<js_sys::Array>,
    pending: HashMap<u32, Done>,
    next: u32,
}

thread_local! {
    static CLIENT: RefCell<Client> = RefCell::default();
}

/// Exports every set of `workspace` (compact Spanwright JSON) as `format`.
pub fn export(format: &str, workspace: String, done: impl FnOnce(Result<ExportReply, String>) + 'static) {
    let msg = js_sys::Array::of3(&"export".into(), &workspace.into(), &format.into());
    send(msg, decoded(done));
}

/// Reads an uploaded file against `workspace` (compact Spanwright JSON).
pub fn upload(name: &str, at: &str, bytes: &[u8], workspace: String, done: impl FnOnce(Result<UploadReply, String>) + 'static) {
    let msg = js_sys::Array::of5(&"upload".into(), &workspace.into(), &name.into(), &at.into(), &js_sys::Uint8Array::from(bytes));
    send(msg, decoded(done));
}

/// The worker's JSON reply as `T`, or the message it carries.
fn decoded<T: DeserializeOwned>(done: impl FnOnce(Result<T, String>) + 'static) -> Done {
    Box::new(move |reply| {
        done(reply.and_then(|json| {
            serde_json::from_str::<Result<T, String>>(&json).unwrap_or_else(|e| Err(format!("the formats worker's reply could not be read ({e})")))
        }))
    })
}

fn send(msg: js_sys::Array, done: Done) {
    let started = CLIENT.with(|c| {
        let mut c = c.borrow_mut();
        let id = c.next;
        c.next += 1;
        msg.unshift(&id.into());
        c.pending.insert(id, done);
        if c.worker.is_none() {
            match Worker::new(SCRIPT) {
                Ok(w) => {
                    listen(&w);
                    c.worker = Some(w);
                    c.ready = false;
                }
                Err(e) => return Err(format!("the browser would not start the formats worker ({})", describe(&e))),
            }
        }
        if c.ready {
            if let Some(w) = &c.worker {
                let _ = w.post_message(&msg);
            }
        } else {
            c.waiting.push(msg);
        }
        Ok(())
    });
    if let Err(e) = started {
        fail_all(e);
    }
}

fn listen(worker: &Worker) {
    let on_message = Closure::<dyn FnMut(MessageEvent)>::new(|e: MessageEvent| {
        let data = e.data();
        if data.as_string().as_deref() == Some("ready") {
            CLIENT.with(|c| {
                let mut c = c.borrow_mut();
                c.ready = true;
                let waiting = std::mem::take(&mut c.waiting);
                if let Some(w) = &c.worker {
                    for msg in waiting {
                        let _ = w.post_message(&msg);
                    }
                }
            });
            return;
        }
        let reply: js_sys::Array = data.unchecked_into();
        let id = reply.get(0).as_f64().unwrap_or(-1.0) as u32;
        // Taken out before it runs: it may dispatch, and dispatching may send another job.
        let done = CLIENT.with(|c| c.borrow_mut().pending.remove(&id));
        if let Some(done) = done {
            done(reply.get(1).as_string().ok_or_else(|| "the formats worker sent an empty reply".to_owned()));
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
        c.ready = false;
        c.waiting.clear();
        c.pending.drain().map(|(_, done)| done).collect()
    });
    for done in pending {
        done(Err(why.clone()));
    }
}

fn describe(e: &JsValue) -> String {
    e.dyn_ref::<js_sys::Error>().map(|e| String::from(e.message())).unwrap_or_else(|| format!("{e:?}"))
}
