//! The top-level component: header, the "Articles" navigation and the selected article.
//! The selected article lives in the URL fragment (see [`crate::route`]).

use std::rc::Rc;

use gloo::events::EventListener;
use yew::prelude::*;

use super::{ArticleList, ArticleView};
use crate::{model::Document, route::Route, seeds};

fn current_route() -> Route {
    Route::parse(&gloo::utils::window().location().hash().unwrap_or_default())
}

/// The whole app.
#[function_component]
pub fn App() -> Html {
    let docs: Rc<Vec<Rc<Document>>> = use_memo((), |_| seeds::documents().into_iter().map(Rc::new).collect());
    let route = use_state(current_route);
    {
        let route = route.clone();
        use_effect_with((), move |_| {
            let listener =
                EventListener::new(&gloo::utils::window(), "hashchange", move |_| route.set(current_route()));
            move || drop(listener)
        });
    }

    let selected = match &*route {
        Route::Home => docs.first().cloned().ok_or(None),
        Route::Doc(id) => docs.iter().find(|d| &d.id == id).cloned().ok_or(Some(id.clone())),
    };
    let selected_id = selected.as_ref().ok().map(|d| AttrValue::from(d.id.clone()));

    html! {
        <>
            <header class="app-header">
                <h1>{ "Spanwright" }</h1>
                <p class="tagline">{ "Mark claims, quotes and entities in news text. Everything stays in this browser." }</p>
            </header>
            <div class="layout">
                <ArticleList docs={docs.clone()} selected={selected_id} />
                <main class="workspace">
                    { match selected {
                        Ok(doc) => html! { <ArticleView {doc} /> },
                        Err(Some(id)) => html! {
                            <p class="notice" role="alert">{ format!("There is no article with the id “{id}”. Choose one from the list.") }</p>
                        },
                        Err(None) => html! { <p class="notice">{ "No articles yet." }</p> },
                    } }
                </main>
            </div>
        </>
    }
}
