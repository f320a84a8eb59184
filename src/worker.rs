//! The formats worker's side of the page ↔ worker protocol. The rules are
//! [`crate::formats::job`]'s; this only moves strings and bytes.
//!
//! The page posts `[id, "export", workspace, format]` or
//! `[id, "upload", workspace, name, at, bytes]`; the worker answers `[id, reply]`, where
//! `reply` is the JSON of `Result<ExportReply | UploadReply, String>`. It says `"ready"`
//! once, when it can take jobs (messages sent before then would find no listener).

use wasm_bindgen::{prelude::*, JsCast};
use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};

use crate::formats::job;

/// Listens for jobs and says it is ready.
pub fn start() {
    let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let replies = scope.clone();
    let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |e: MessageEvent| {
        let msg: js_sys::Array = e.data().unchecked_into();
        let text = |i: u32| msg.get(i).as_string().unwrap_or_default();
        let reply = match text(1).as_str() {
            "export" => serde_json::to_string(&job::export(&text(3), &text(2))),
            "upload" => {
                let bytes = js_sys::Uint8Array::new(&msg.get(5)).to_vec();
                serde_json::to_string(&job::upload(&text(3), &bytes, &text(2), &text(4)))
            }
            other => serde_json::to_string(&Err::<(), String>(format!("the formats worker has no job “{other}”"))),
        };
        let reply = reply.unwrap_or_else(|e| {
            serde_json::to_string(&Err::<(), String>(format!("the formats worker could not write its reply ({e})"))).unwrap_or_default()
        });
        let _ = replies.post_message(&js_sys::Array::of2(&msg.get(0), &JsValue::from_str(&reply)));
    });
    scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    on_message.forget();
    let _ = scope.post_message(&JsValue::from_str("ready"));
}
