//! The top-level component: header, the "Articles" navigation, the toolbar, the article and
//! the Annotations panel. It owns the store and provides it to the components, keeps the
//! selected article in the URL (see [`crate::route`]), and runs the hooks that save, follow
//! other tabs and handle the keyboard.

use std::{cell::RefCell, rc::Rc, sync::Arc};

use gloo::events::EventListener;
use yew::prelude::*;

use super::{
    agreement::AgreementPanel, annotation_list::AnnotationList, article_list::ArticleList, article_view::ArticleView, backup_reminder::BackupReminder,
    find_bar::FindBar, recovery::Recovery, shortcuts_dialog::ShortcutsDialog, speaker_picker::SpeakerPicker, status_line::StatusLine,
    suggestion_panel::SuggestionPanel, toolbar::Toolbar, type_picker::TypePicker,
};
use crate::{
    layout::describe,
    model::Workspace,
    route::Route,
    shell::{
        hooks::{autosave::use_autosave, save_status::use_save_status, shortcuts::use_shortcuts, tab_sync},
        services::storage,
        store::{Live, Msg, Notice, Store},
    },
};

fn current_route() -> Route {
    Route::parse(&gloo::utils::window().location().hash().unwrap_or_default())
}

/// What the app starts from: the workspace read from storage and what to tell the user.
/// Taken once, by the first render.
#[derive(Clone, Default)]
pub struct Start(pub Rc<RefCell<Option<Started>>>);

/// The workspace read from storage, and what to tell the user about it.
pub type Started = (Workspace, Option<Notice>);

impl PartialEq for Start {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

/// The app's properties.
#[derive(Properties, PartialEq, Default)]
pub struct AppProps {
    /// What it starts from.
    pub start: Start,
}

/// The whole app.
#[function_component]
pub fn App(props: &AppProps) -> Html {
    let store = use_reducer(|| {
        let (ws, notice) = props.start.0.borrow_mut().take().unwrap_or_else(|| (Workspace::with_documents(crate::seeds::documents()), None));
        Store::new(ws, notice, storage::annotator())
    });
    // The same handle for good, for the components that only act on the store.
    let live = use_memo((), {
        let store = store.clone();
        move |_| Live(store)
    });
    let route = use_state(current_route);
    let status = use_save_status();
    let help = use_state(|| false);
    let agreement = use_state(|| false);
    {
        let route = route.clone();
        use_effect_with((), move |_| {
            let listener = EventListener::new(&gloo::utils::window(), "hashchange", move |_| route.set(current_route()));
            move || drop(listener)
        });
    }

    // The document on screen follows the route (only its handle is taken, not the list's).
    let selected = {
        let ws = &store.state().workspace;
        match &*route {
            Route::Home => ws.documents().first().cloned().ok_or(None),
            Route::Doc(id) => ws.document(id).cloned().ok_or(Some(id.clone())),
        }
    };
    let selected_id = selected.as_ref().ok().map(|d| d.id.clone());
    {
        let store = store.clone();
        use_effect_with(selected_id.clone(), move |id| store.dispatch(Msg::Open(id.clone())));
    }

    // The stored articles the start did not read come in after the first paint.
    {
        let store = store.clone();
        use_effect_with((), move |_| storage::fill(store));
    }

    use_autosave(&store, &status);
    tab_sync::use_tab_sync(&store, &status);
    let set_help = use_callback(help.clone(), |open: bool, help| help.set(open));
    use_shortcuts(&store, set_help.clone());

    // Draw a caret the keyboard moved.
    use_effect_with((store.caret, store.caret_from_keys), |(caret, keys)| {
        if let (Some((anchor, head)), true) = (caret, keys) {
            crate::dom_offsets::browser::show_caret(*anchor, *head);
        }
    });

    let take_other = use_callback((store.clone(), status.clone()), |_: MouseEvent, (store, status)| {
        tab_sync::take_other_tabs_work(store, status, "Loaded the work saved in the other tab.")
    });
    // Memoised, so the Toolbar and the dialog are not redrawn for a new callback each time.
    let open_help = use_callback(help.clone(), |(), help| help.set(true));
    let close_help = use_callback(help.clone(), |(), help| help.set(false));
    let toggle_agreement = use_callback(agreement.clone(), |(), agreement| agreement.set(!**agreement));
    let close_agreement = use_callback(agreement.clone(), |(), agreement| agreement.set(false));

    // What the keyboard caret is inside, for those who cannot hover.
    let at_caret: Option<String> = store.caret.filter(|_| store.caret_from_keys).and_then(|(_, head)| {
        let set = store.active_set()?;
        let state = store.state();
        let inside: Vec<String> =
            set.spans().iter().filter(|s| s.range.start() <= head && head < s.range.end()).map(|s| describe(&state.workspace.labels, s)).collect();
        (!inside.is_empty()).then(|| format!("At the caret: {}", inside.join(" ⊃ ")))
    });

    html! {
        <ContextProvider<Live> context={(*live).clone()}>
        <ContextProvider<UseReducerHandle<Store>> context={store.clone()}>
            <header class="app-header">
                <h1>{ "Spanwright" }</h1>
                <p class="tagline">{ "Mark claims, quotes and entities in news text. Everything stays in this browser." }</p>
            </header>
            // The toolbar and the find bar stay at the top of the screen together.
            <div class="bars">
                <Toolbar on_help={open_help} on_agreement={toggle_agreement} agreement_open={*agreement} />
                if store.find.open {
                    <FindBar />
                }
                // In the sticky bars, so a picker is in view wherever the article is
                // scrolled: focusing it does not scroll the page away from the selection.
                if store.picking.is_some() {
                    <TypePicker />
                }
                if store.attributing.is_some() {
                    <SpeakerPicker />
                }
            </div>
            <StatusLine notice={store.notice.clone()} saved={status.get()} changed={store.revision > 0} on_take_other={take_other} />
            <Recovery dispatch={store.dispatcher()} />
            <BackupReminder generation={storage::generation()} />
            <p class="caret-info" aria-live="polite">{ at_caret.unwrap_or_default() }</p>
            if *help {
                <ShortcutsDialog on_close={close_help} />
            }
            if *agreement {
                <AgreementPanel on_close={close_agreement} />
            }
            <div class="layout">
                <ArticleList selected={selected_id.map(AttrValue::from)} />
                <main class="workspace">
                    if selected.is_ok() {
                        <SuggestionPanel />
                    }
                    { match selected {
                        // Its sets may still be on their way: shown once they are all in.
                        Ok(doc) if store.reading.is_some() && storage::read_first().as_deref() != Some(doc.id.as_str()) => html! {
                            <p class="notice" role="status">{ "Reading this article's annotations from this browser's storage…" }</p>
                        },
                        Ok(doc) => html! { <ArticleView {doc} store={store.clone()} version={(store.revision, store.focused, store.doc.clone(), store.reveal, store.active_set().map(|s| s.id.clone()))} caret={store.caret}
                                                      hits={store.find.hits.clone()} current_hit={store.find.current} hit_reveal={store.find.reveal}
                                                      suggested={store.suggesting.as_ref().map(|s| s.open.clone()).unwrap_or_else(|| Arc::from(Vec::new()))} /> },
                        Err(Some(_)) if store.reading.is_some() => html! {
                            <p class="notice" role="status">{ "Reading this article from this browser's storage…" }</p>
                        },
                        Err(Some(id)) => html! {
                            <p class="notice" role="alert">{ format!("There is no article with the id “{id}”. Choose one from the list.") }</p>
                        },
                        Err(None) => html! { <p class="notice">{ "No articles yet." }</p> },
                    } }
                </main>
                <AnnotationList />
            </div>
        </ContextProvider<UseReducerHandle<Store>>>
        </ContextProvider<Live>>
    }
}
