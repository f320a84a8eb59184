//! Bringing a corpus in: *Import corpus* (JSON Lines, JSON, CSV or `.txt` files, many at
//! once) and *Import folder* (every such file in a folder). The reading is the formats
//! worker's ([`crate::formats::corpus`]); this shows its progress, asks which field holds the
//! text when a file has no `text` field, and lists the rows it refused.

use std::rc::Rc;

use yew::prelude::*;

use crate::{
    formats::corpus::FieldMap,
    shell::{
        services::files::{chosen_files, import_corpus, open_picker, read_all, ImportOutcome},
        store::{use_live_store, Msg, Notice},
    },
};

/// Where an import is.
#[derive(Clone, Debug, PartialEq)]
enum Phase {
    Idle,
    Reading { done: usize, total: usize },
    Importing { bytes_done: usize, bytes_total: usize, articles: usize },
    Fields { file: String, wanted: String, fields: Vec<String> },
    Report(Rc<Vec<String>>),
}

/// The files of the import waiting for a choice of fields.
type Held = Rc<Vec<(String, Vec<u8>)>>;

/// How many refused rows the report lists (the count says how many there were).
const LISTED: usize = 200;

/// Guesses for each field, by common names, in order of preference.
fn guess(fields: &[String], names: &[&str]) -> String {
    names
        .iter()
        .find(|n| fields.iter().any(|f| f.eq_ignore_ascii_case(n)))
        .and_then(|n| fields.iter().find(|f| f.eq_ignore_ascii_case(n)))
        .cloned()
        .unwrap_or_default()
}

/// "Import corpus", "Import folder", the progress bar, the fields form and the report.
#[function_component]
pub fn ImportCorpus() -> Html {
    let store = use_live_store();
    let phase = use_state(|| Phase::Idle);
    let held = use_mut_ref(|| None::<Held>);
    let (files_ref, folder_ref) = (use_node_ref(), use_node_ref());
    let form_refs: [NodeRef; 5] = Default::default();
    let form_refs = use_memo((), |_| form_refs);

    let run = {
        let (store, phase, held) = (store.clone(), phase.clone(), held.clone());
        Rc::new(move |files: Held, fields: FieldMap| {
            let total = files.iter().map(|(_, b)| b.len()).sum();
            phase.set(Phase::Importing { bytes_done: 0, bytes_total: total, articles: 0 });
            let on_progress = {
                let phase = phase.clone();
                move |bytes_done, bytes_total, articles| phase.set(Phase::Importing { bytes_done, bytes_total, articles })
            };
            let (phase, held, kept, for_reply) = (phase.clone(), held.clone(), files.clone(), store.clone());
            import_corpus(store.clone(), &files, &fields, on_progress, move |outcome| match outcome {
                ImportOutcome::Done(refused) => {
                    *held.borrow_mut() = None;
                    phase.set(if refused.is_empty() { Phase::Idle } else { Phase::Report(Rc::new(refused)) });
                }
                ImportOutcome::Fields(file, wanted, fields) => {
                    *held.borrow_mut() = Some(kept);
                    phase.set(Phase::Fields { file, wanted, fields });
                }
                ImportOutcome::Failed(message) => {
                    *held.borrow_mut() = None;
                    phase.set(Phase::Idle);
                    for_reply.dispatch(Msg::Notice(Notice::Problem(message)));
                }
            });
        })
    };

    let on_files = {
        let (store, phase, run) = (store.clone(), phase.clone(), run.clone());
        Callback::from(move |e: Event| {
            let files = chosen_files(&e);
            if files.is_empty() {
                return;
            }
            let total = files.len();
            phase.set(Phase::Reading { done: 0, total });
            let on_read = {
                let phase = phase.clone();
                move |done, total| phase.set(Phase::Reading { done, total })
            };
            let (store, phase, run) = (store.clone(), phase.clone(), run.clone());
            read_all(files, on_read, move |result| match result {
                Ok(files) => run(Rc::new(files), FieldMap::default()),
                Err(e) => {
                    phase.set(Phase::Idle);
                    store.dispatch(Msg::Notice(Notice::Problem(format!("Nothing was imported: {e}."))));
                }
            });
        })
    };

    let submit_fields = {
        let (phase, held, run, refs) = (phase.clone(), held.clone(), run.clone(), form_refs.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let value = |i: usize| refs[i].cast::<web_sys::HtmlSelectElement>().map(|s| s.value()).unwrap_or_default();
            let map = FieldMap { text: value(0), title: value(1), id: value(2), date: value(3), url: value(4), meta: String::new() };
            let files = held.borrow_mut().take();
            match files {
                Some(files) => run(files, map),
                None => phase.set(Phase::Idle),
            }
        })
    };
    let cancel = {
        let (phase, held) = (phase.clone(), held.clone());
        Callback::from(move |_: MouseEvent| {
            *held.borrow_mut() = None;
            phase.set(Phase::Idle);
        })
    };

    let busy = matches!(*phase, Phase::Reading { .. } | Phase::Importing { .. });
    let mb = |b: usize| format!("{:.1}", b as f64 / 1e6);
    html! {
        <div class="import-corpus">
            <button type="button" onclick={open_picker(&files_ref)} disabled={busy}>{ "Import corpus" }</button>
            <button type="button" onclick={open_picker(&folder_ref)} disabled={busy}>{ "Import folder" }</button>
            <input type="file" class="hidden-input" accept=".jsonl,.ndjson,.json,.csv,.txt" multiple=true ref={files_ref}
                   onchange={on_files.clone()} tabindex="-1" aria-hidden="true" />
            <input type="file" class="hidden-input" webkitdirectory=true multiple=true ref={folder_ref}
                   onchange={on_files} tabindex="-1" aria-hidden="true" />
            { match &*phase {
                Phase::Idle => html! {},
                Phase::Reading { done, total } => html! {
                    <div class="import-progress">
                        <progress aria-label="Import progress" max={total.to_string()} value={done.to_string()} />
                        <p>{ format!("Reading files: {done} of {total}") }</p>
                    </div>
                },
                Phase::Importing { bytes_done, bytes_total, articles } => html! {
                    <div class="import-progress">
                        <progress aria-label="Import progress" max={bytes_total.max(&1).to_string()} value={bytes_done.to_string()} />
                        <p>{ format!("Importing: {articles} articles, {} of {} MB read", mb(*bytes_done), mb(*bytes_total)) }</p>
                    </div>
                },
                Phase::Fields { file, wanted, fields } => {
                    let options = |selected: String, none: bool| html! {
                        <>
                            if none { <option value="" selected={selected.is_empty()}>{ "(none)" }</option> }
                            { for fields.iter().map(|f| html! { <option value={f.clone()} selected={*f == selected}>{ f }</option> }) }
                        </>
                    };
                    let text_guess = match guess(fields, &["body", "content", "article", "text", "full_text", "story"]) {
                        g if g.is_empty() => fields.first().cloned().unwrap_or_default(),
                        g => g,
                    };
                    html! {
                        <form class="import-fields" aria-label="Choose fields" onsubmit={submit_fields}>
                            <p>{ format!("{file} has no “{wanted}” field. Which field holds each part?") }</p>
                            <label>{ "Text field" }<select ref={form_refs[0].clone()} required=true>{ options(text_guess, false) }</select></label>
                            <label>{ "Title field" }<select ref={form_refs[1].clone()}>{ options(guess(fields, &["title", "headline", "name"]), true) }</select></label>
                            <label>{ "Id field" }<select ref={form_refs[2].clone()}>{ options(guess(fields, &["id", "_id", "uid", "guid"]), true) }</select></label>
                            <label>{ "Date field" }<select ref={form_refs[3].clone()}>{ options(guess(fields, &["date", "published", "pub_date", "timestamp"]), true) }</select></label>
                            <label>{ "URL field" }<select ref={form_refs[4].clone()}>{ options(guess(fields, &["url", "link", "source_url"]), true) }</select></label>
                            <button type="submit">{ "Import with these fields" }</button>
                            <button type="button" onclick={cancel.clone()}>{ "Cancel" }</button>
                        </form>
                    }
                }
                Phase::Report(refused) => html! {
                    <section class="import-report" aria-label="Import report">
                        <h3>{ format!("Refused rows ({})", refused.len()) }</h3>
                        <ul aria-label="Refused rows">
                            { for refused.iter().take(LISTED).map(|r| html! { <li>{ r }</li> }) }
                        </ul>
                        if refused.len() > LISTED {
                            <p>{ format!("and {} more", refused.len() - LISTED) }</p>
                        }
                        <button type="button" onclick={cancel}>{ "Close report" }</button>
                    </section>
                },
            } }
        </div>
    }
}
