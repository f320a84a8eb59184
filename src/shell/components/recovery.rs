//! Saved work that could not be read, kept aside untouched: each copy can be downloaded
//! exactly as it was stored, and deleted once the user has it.

use yew::prelude::*;

use crate::shell::{
    services::{files::download, storage},
    store::{Msg, Notice, Store},
};

/// Props of [`Recovery`].
#[derive(Properties, PartialEq, Clone)]
pub struct RecoveryProps {
    /// Sends the store what went wrong. A dispatcher, not the store: what the region shows
    /// is its own, so an edit does not redraw it.
    pub dispatch: UseReducerDispatcher<Store>,
}

/// The "Kept aside" region, shown only when something is.
#[function_component]
pub fn Recovery(props: &RecoveryProps) -> Html {
    let store = &props.dispatch;
    let asides = use_state(storage::asides);
    let confirming = use_state(|| None::<String>);
    if asides.is_empty() {
        return html! {};
    }
    let items: Html = asides
        .iter()
        .map(|a| {
            let stamp = a.key.strip_prefix(crate::storage::ASIDE_PREFIX).unwrap_or("now").to_owned();
            let name = format!("spanwright-unreadable-{}.json", stamp.replace([':', '.'], "-"));
            let get = {
                let (key, name, store) = (a.key.clone(), name.clone(), store.clone());
                Callback::from(move |_| {
                    // Read now, not held while it is listed.
                    let Some(raw) = storage::aside_text(&key) else {
                        return store.dispatch(Msg::Notice(Notice::Problem(format!("Could not download {name}: the kept copy is no longer there."))));
                    };
                    if let Err(e) = download(&name, "application/json", raw.as_str()) {
                        store.dispatch(Msg::Notice(Notice::Problem(format!("Could not download {name}: {e}"))));
                    }
                })
            };
            let ask = {
                let (confirming, key) = (confirming.clone(), a.key.clone());
                Callback::from(move |_| confirming.set(Some(key.clone())))
            };
            let delete = {
                let (asides, confirming, key, store) = (asides.clone(), confirming.clone(), a.key.clone(), store.clone());
                Callback::from(move |_| {
                    if let Err(e) = storage::discard(&key) {
                        store.dispatch(Msg::Notice(Notice::Problem(format!("Could not delete the kept copy: {e}."))));
                    }
                    confirming.set(None);
                    asides.set(storage::asides());
                })
            };
            let keep = {
                let confirming = confirming.clone();
                Callback::from(move |_| confirming.set(None))
            };
            // One decimal by integer arithmetic: no float formatting in the page's module.
            let size = format!("{}.{} KB", a.size / 1000, a.size % 1000 / 100);
            html! {
                <li key={a.key.clone()}>
                    <p>{ format!("Saved work kept aside ({stamp}, {size}): {}", a.why) }</p>
                    <button type="button" onclick={get}>{ format!("Download {name}") }</button>
                    if confirming.as_deref() == Some(a.key.as_str()) {
                        <span role="alertdialog" aria-label="Delete the kept copy">
                            { "Delete it for good? Download it first if you may need it. " }
                            <button type="button" onclick={delete}>{ "Delete the kept copy" }</button>
                            <button type="button" onclick={keep}>{ "Keep it" }</button>
                        </span>
                    } else {
                        <button type="button" onclick={ask}>{ "Delete this copy…" }</button>
                    }
                </li>
            }
        })
        .collect();
    html! {
        <section class="recovery" aria-label="Kept aside">
            <h2 class="panel-title">{ "Kept aside" }</h2>
            <ul>{ items }</ul>
        </section>
    }
}
