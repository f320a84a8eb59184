//! The "Articles" navigation: every article by title and date, with its progress (span
//! counts by label in its active set), linking to its route.

use yew::prelude::*;

use super::{add_article::AddArticle, import_corpus::ImportCorpus};
use crate::{route::Route, shell::store::use_store};

/// Props of [`ArticleList`].
#[derive(Properties, Clone, PartialEq)]
pub struct ArticleListProps {
    /// The id of the article on screen.
    pub selected: Option<AttrValue>,
}

/// The navigation landmark named "Articles".
#[function_component]
pub fn ArticleList(props: &ArticleListProps) -> Html {
    let store = use_store();
    let state = store.state();
    let ws = &state.workspace;
    html! {
        <nav class="articles" aria-label="Articles">
            <h2 class="panel-title">{ "Articles" }</h2>
            <ul>
                { for ws.documents().iter().map(|doc| {
                    let current = props.selected.as_deref() == Some(doc.id.as_str());
                    let progress: Vec<String> = ws.active_set(&doc.id).map(|set| {
                        set.counts().into_iter().map(|(label, n)| {
                            let name = ws.labels.label(label).map_or(label, |l| l.name.as_str());
                            // ASCII names read as words ("2 claims"); others stay as written (the
                            // page has no Unicode case tables).
                            let name = if name.is_ascii() { name.to_ascii_lowercase() } else { name.to_owned() };
                            format!("{n} {}", plural(&name, n))
                        }).collect()
                    }).unwrap_or_default();
                    html! {
                        <li key={doc.id.clone()}>
                            <a href={Route::Doc(doc.id.clone()).to_hash()}
                               aria-current={current.then_some("page")}>
                                <span class="article-title">{ &doc.header.title }</span>
                                if let Some(date) = &doc.header.date {
                                    <time class="article-date" datetime={date.clone()}>{ date }</time>
                                }
                                if !progress.is_empty() {
                                    <span class="progress">{ progress.join(" · ") }</span>
                                }
                            </a>
                        </li>
                    }
                }) }
            </ul>
            <AddArticle />
            <ImportCorpus />
        </nav>
    }
}

/// "1 entity", "2 entities", "3 claims".
fn plural(name: &str, n: usize) -> String {
    match (n, name.strip_suffix('y')) {
        (1, _) => name.to_owned(),
        (_, Some(stem)) if !stem.ends_with(['a', 'e', 'i', 'o', 'u']) => format!("{stem}ies"),
        _ => format!("{name}s"),
    }
}
