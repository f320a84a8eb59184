//! Files in and out of the browser: downloads through Blob URLs (nothing leaves the machine),
//! and uploads read with `FileReader`. Parsing and merging are the core's.

use gloo::file::{callbacks::FileReader, File};

use wasm_bindgen::JsCast;
use yew::prelude::*;

use super::{clock::now, storage, timing, worker};
use crate::{
    formats::{
        job::{self, JobError},
        native, upload, Format,
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
    let blob = gloo::file::Blob::new_with_options(content, Some(media_type));
    let url = gloo::file::ObjectUrl::from(blob);
    let document = gloo::utils::document();
    let a: web_sys::HtmlAnchorElement =
        document.create_element("a").map_err(|_| "the browser refused to create a link".to_owned())?.dyn_into().map_err(|_| "not a link".to_owned())?;
    a.set_href(&url);
    a.set_download(name);
    a.click();
    Ok(())
}

/// Downloads the whole workspace as Spanwright JSON.
pub fn download_workspace(store: &UseReducerHandle<Store>) {
    let json = native::save_workspace_compact(&store.state().workspace);
    let name = format!("spanwright-workspace-{}.json", &now()[..10]);
    match download(&name, "application/json", json.as_str()) {
        Ok(()) => {
            let line = match storage::mark_downloaded() {
                Ok(()) => format!("Downloaded {name}."),
                // The download happened; only the backup reminder's count could not be kept.
                Err(e) => format!("Downloaded {name}. (The backup reminder could not note it: {e}.)"),
            };
            store.dispatch(Msg::Notice(Notice::Info(line)));
        }
        Err(e) => store.dispatch(Msg::Notice(Notice::Problem(format!("Could not download: {e}")))),
    }
}

/// Downloads every set in the workspace in a training format. The export runs in the
/// formats worker; the page only serialises its workspace for it.
pub fn download_exports(store: &UseReducerHandle<Store>, format: Format) {
    if store.state().workspace.sets().is_empty() {
        store.dispatch(Msg::Notice(Notice::Problem("Nothing to export yet: tag some text first.".into())));
        return;
    }
    let timing = timing::start(format!("spanwright:export:{}", format.id()));
    let workspace = native::save_workspace_compact(&store.state().workspace);
    let for_reply = store.clone();
    worker::export(format.id(), workspace, move |reply| {
        let store = for_reply;
        timing.end();
        let export = match reply {
            Ok(export) => export,
            Err(e) => return store.dispatch(Msg::Notice(Notice::Problem(format!("Could not export {}: {e}", format.title())))),
        };
        for file in &export.files {
            if let Err(e) = download(&file.name, &file.media_type, file.content.clone()) {
                store.dispatch(Msg::Notice(Notice::Problem(format!("Could not download {}: {e}", file.name))));
                return;
            }
        }
        let names: Vec<&str> = export.files.iter().map(|f| f.name.as_str()).collect();
        let mut line = format!("Exported {} as {}.", format.title(), names.join(", "));
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
/// (the rules are [`upload`]'s; the reading runs in the formats worker).
pub fn upload(store: UseReducerHandle<Store>, file: web_sys::File) {
    let name = file.name();
    if let Err(e) = upload::check_size(&name, file.size() as u64) {
        return store.dispatch(Msg::Notice(Notice::Problem(e.to_string())));
    }
    read_bytes(file, move |result| {
        let bytes = match result {
            Ok(bytes) => bytes,
            Err(e) => return store.dispatch(Msg::Notice(Notice::Problem(format!("Upload of {name} failed, nothing was changed: {e}")))),
        };
        let timing = timing::start("spanwright:upload".to_owned());
        let at = now();
        let workspace = native::save_workspace_compact(&store.state().workspace);
        let for_reply = store.clone();
        worker::upload(&name.clone(), &at.clone(), &bytes, workspace, move |reply| {
            let store = for_reply;
            // Read against the workspace as it is now; the plan was made for the one sent.
            let outcome = reply.and_then(|reply| {
                let merge = job::merge_from_reply(&store.state().workspace, &reply)?;
                Ok((merge, reply.summary))
            });
            timing.end();
            match outcome {
                Ok((merge, summary)) => store.dispatch(Msg::Merge { merge, summary, at }),
                Err(JobError::Refused(message)) => store.dispatch(Msg::Notice(Notice::Problem(message))),
                Err(e) => store.dispatch(Msg::Notice(Notice::Problem(format!("Upload of {name} failed, nothing was changed: {e}")))),
            }
        });
    });
}
