//! Keeping work safe beyond this browser: saved work that could not be read, kept aside
//! untouched (each copy can be downloaded exactly as it was stored, and deleted once the
//! user has it), and a quiet reminder to download a backup.

use yew::prelude::*;

use super::{
    files::{download, download_workspace},
    persist,
    store::Store,
};

/// Props of [`BackupReminder`].
#[derive(Properties, PartialEq, Clone)]
pub struct BackupReminderProps {
    /// The store, to download from and count spans.
    pub store: UseReducerHandle<Store>,
    /// The save generation when the parent rendered (it re-renders after every save).
    pub generation: u64,
}

/// "N changes are only in this browser": shown by [`crate::storage::backup_reminder`]'s
/// rule, with Download JSON and Not now.
#[function_component]
pub fn BackupReminder(props: &BackupReminderProps) -> Html {
    let redraw = use_state(|| 0u32);
    let store = &props.store;
    let spans: usize = store.state().workspace.sets().iter().map(|s| s.spans().len()).sum();
    let (downloaded, dismissed) = persist::backup_marks();
    let Some(changes) = crate::storage::backup_reminder(props.generation, downloaded, dismissed, spans) else {
        return html! {};
    };
    let get = {
        let (store, redraw) = (store.clone(), redraw.clone());
        Callback::from(move |_| {
            download_workspace(&store);
            redraw.set(*redraw + 1);
        })
    };
    let later = Callback::from(move |_| {
        persist::dismiss_backup();
        redraw.set(*redraw + 1);
    });
    html! {
        <section class="backup" aria-label="Backup">
            <p>{ format!("{changes} changes since your last backup live only in this browser, which may clear its storage. Download JSON keeps a copy you can upload again.") }</p>
            <button type="button" onclick={get}>{ "Download a backup" }</button>
            <button type="button" onclick={later}>{ "Not now" }</button>
        </section>
    }
}

/// The "Kept aside" region, shown only when something is.
#[function_component]
pub fn Recovery() -> Html {
    let asides = use_state(persist::asides);
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
                let (raw, name) = (a.raw.clone(), name.clone());
                Callback::from(move |_| {
                    let _ = download(&name, "application/json", raw.as_str());
                })
            };
            let ask = {
                let (confirming, key) = (confirming.clone(), a.key.clone());
                Callback::from(move |_| confirming.set(Some(key.clone())))
            };
            let delete = {
                let (asides, confirming, key) = (asides.clone(), confirming.clone(), a.key.clone());
                Callback::from(move |_| {
                    persist::discard(&key);
                    confirming.set(None);
                    asides.set(persist::asides());
                })
            };
            let keep = {
                let confirming = confirming.clone();
                Callback::from(move |_| confirming.set(None))
            };
            let size = format!("{:.1} KB", a.raw.len() as f64 / 1000.0);
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
