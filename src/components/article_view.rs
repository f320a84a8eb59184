//! One article: its title, metadata and its text exactly as loaded (line breaks kept by
//! CSS `white-space: pre-wrap`, nothing trimmed), because annotation offsets count that text.

use std::rc::Rc;

use yew::prelude::*;

use crate::model::Document;

/// Props of [`ArticleView`].
#[derive(Properties, Clone)]
pub struct ArticleViewProps {
    /// The article to show.
    pub doc: Rc<Document>,
}

impl PartialEq for ArticleViewProps {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.doc, &other.doc)
    }
}

/// The element with role `article`.
#[function_component]
pub fn ArticleView(props: &ArticleViewProps) -> Html {
    let doc = &props.doc;
    let h = &doc.header;
    let meta: Vec<String> = [
        h.date.clone(),
        h.byline.as_ref().map(|b| format!("By {b}")),
        h.section.clone(),
        h.source.as_ref().map(|s| format!("Source: {s}")),
    ]
    .into_iter()
    .flatten()
    .collect();
    html! {
        <article class="article" aria-labelledby="article-title">
            <header class="article-header">
                <h2 id="article-title">{ &h.title }</h2>
                if !meta.is_empty() {
                    <p class="article-meta">{ meta.join(" · ") }</p>
                }
            </header>
            <div class="article-text">{ doc.text.to_string() }</div>
        </article>
    }
}
