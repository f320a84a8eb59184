//! A quiet reminder to download a backup: "N changes are only in this browser".

use yew::prelude::*;

use crate::{
    formats::scope::Scope,
    shell::{
        services::{files::download_workspace, storage},
        store::{use_store, Msg, Notice},
    },
};

/// Props of [`BackupReminder`].
#[derive(Properties, PartialEq, Clone)]
pub struct BackupReminderProps {
    /// The save generation when the parent rendered (it re-renders after every save).
    pub generation: u64,
}

/// "N changes are only in this browser": shown by [`crate::storage::backup_reminder`]'s
/// rule, with Download JSON and Not now.
#[function_component]
pub fn BackupReminder(props: &BackupReminderProps) -> Html {
    let redraw = use_state(|| 0u32);
    let store = use_store();
    let (downloaded, dismissed) = storage::backup_marks();
    // The rule asks only whether there is a span at all: looked for when it would remind,
    // in the set on screen first, so a render does not count the corpus's spans.
    let any_span = || store.active_set().is_some_and(|s| !s.spans().is_empty()) || store.state().workspace.sets().iter().any(|s| !s.spans().is_empty());
    let Some(changes) = crate::storage::backup_reminder(props.generation, downloaded, dismissed, 1).filter(|_| any_span()) else {
        return html! {};
    };
    let get = {
        let (store, redraw) = (store.clone(), redraw.clone());
        Callback::from(move |_| {
            download_workspace(&store, Scope::All, std::rc::Rc::new(|_, _, _| {}));
            redraw.set(*redraw + 1);
        })
    };
    let later = {
        let store = store.clone();
        Callback::from(move |_| {
            if let Err(e) = storage::dismiss_backup() {
                store.dispatch(Msg::Notice(Notice::Problem(format!("Could not remember “Not now”: {e}."))));
            }
            redraw.set(*redraw + 1);
        })
    };
    html! {
        <section class="backup" aria-label="Backup">
            <p>{ format!("{changes} changes since your last backup live only in this browser, which may clear its storage. Download JSON keeps a copy you can upload again.") }</p>
            <button type="button" onclick={get}>{ "Download a backup" }</button>
            <button type="button" onclick={later}>{ "Not now" }</button>
        </section>
    }
}
