//! Bringing your own text: paste it, or open `.txt` files. The article is kept exactly as
//! given (see [`Document::from_user_bytes`]), saved with the workspace, and can be removed.

use yew::prelude::*;

use crate::{
    model::Document,
    route::Route,
    shell::{
        services::{
            clock::now,
            files::{chosen_files, open_picker, read_bytes},
        },
        store::{use_live_store, Msg, Notice, Store},
    },
    state::Action,
};

/// Adds a document, or says why not, and shows it.
fn add(store: &UseReducerHandle<Store>, doc: Document, from: &str) {
    let existing = store.state().workspace.document(&doc.id).map(|d| d.header.title.clone());
    if let Some(title) = existing {
        store.dispatch(Msg::Notice(Notice::Problem(format!("{from} is already here, as “{title}”; nothing was added."))));
        go_to(&doc.id);
        return;
    }
    let (id, title) = (doc.id.clone(), doc.header.title.clone());
    store.dispatch(Msg::Do(Action::AddDocument { doc }, now()));
    store.dispatch(Msg::Notice(Notice::Info(format!("Added “{title}”."))));
    go_to(&id);
}

fn go_to(id: &str) {
    let _ = gloo::utils::window().location().set_hash(&Route::Doc(id.to_owned()).to_hash());
}

/// "Add article" (a form to paste text) and "Open .txt files".
#[function_component]
pub fn AddArticle() -> Html {
    let store = use_live_store();
    let store = &store;
    let open = use_state(|| false);
    let (title_ref, text_ref, file_ref) = (use_node_ref(), use_node_ref(), use_node_ref());
    {
        let text_ref = text_ref.clone();
        use_effect_with(*open, move |_| {
            if let Some(area) = text_ref.cast::<web_sys::HtmlTextAreaElement>() {
                let _ = area.focus();
            }
        });
    }
    let toggle = {
        let open = open.clone();
        Callback::from(move |_| open.set(!*open))
    };
    let submit = {
        let (store, open, title_ref, text_ref) = (store.clone(), open.clone(), title_ref.clone(), text_ref.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let title = title_ref.cast::<web_sys::HtmlInputElement>().map(|i| i.value()).unwrap_or_default();
            let Some(area) = text_ref.cast::<web_sys::HtmlTextAreaElement>() else { return };
            match Document::from_user_bytes(area.value().as_bytes(), &title) {
                Ok(doc) => {
                    add(&store, doc, "This text");
                    open.set(false);
                }
                Err(e) => store.dispatch(Msg::Notice(Notice::Problem(format!("The article was not added: {e}.")))),
            }
        })
    };
    let pick_files = open_picker(&file_ref);
    let on_files = {
        let store = store.clone();
        Callback::from(move |e: Event| {
            for file in chosen_files(&e) {
                let (store, name) = (store.clone(), file.name());
                read_bytes(file, move |result| match result.and_then(|bytes| Document::from_user_bytes(&bytes, "").map_err(|e| e.to_string())) {
                    Ok(doc) => add(&store, doc, &name),
                    Err(e) => store.dispatch(Msg::Notice(Notice::Problem(format!("{name} was not added: {e}.")))),
                });
            }
        })
    };
    let cancel = {
        let open = open.clone();
        Callback::from(move |_| open.set(false))
    };
    html! {
        <div class="add-article">
            <button type="button" aria-expanded={open.to_string()} onclick={toggle}>{ "Add article" }</button>
            <button type="button" onclick={pick_files}>{ "Open .txt files" }</button>
            <input type="file" class="hidden-input" accept=".txt,text/plain" multiple=true ref={file_ref}
                   onchange={on_files} tabindex="-1" aria-hidden="true" />
            if *open {
                <form class="add-form" aria-label="Add article" onsubmit={submit}>
                    <label>{ "Title (optional)" }<input type="text" ref={title_ref} /></label>
                    <label>{ "Text to add" }<textarea ref={text_ref} rows="8" required=true /></label>
                    <button type="submit">{ "Add" }</button>
                    <button type="button" onclick={cancel}>{ "Cancel" }</button>
                </form>
            }
        </div>
    }
}
