//! The "Articles" navigation: every article by title and date, linking to its route.

use std::rc::Rc;

use yew::prelude::*;

use crate::{model::Document, route::Route};

/// Props of [`ArticleList`].
#[derive(Properties, Clone)]
pub struct ArticleListProps {
    /// The articles, in display order.
    pub docs: Rc<Vec<Rc<Document>>>,
    /// The id of the article on screen.
    pub selected: Option<AttrValue>,
}

impl PartialEq for ArticleListProps {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.docs, &other.docs) && self.selected == other.selected
    }
}

/// The navigation landmark named "Articles".
#[function_component]
pub fn ArticleList(props: &ArticleListProps) -> Html {
    html! {
        <nav class="articles" aria-label="Articles">
            <h2 class="panel-title">{ "Articles" }</h2>
            <ul>
                { for props.docs.iter().map(|doc| {
                    let current = props.selected.as_deref() == Some(doc.id.as_str());
                    html! {
                        <li key={doc.id.clone()}>
                            <a href={Route::Doc(doc.id.clone()).to_hash()}
                               aria-current={current.then_some("page")}>
                                <span class="article-title">{ &doc.header.title }</span>
                                if let Some(date) = &doc.header.date {
                                    <time class="article-date" datetime={date.clone()}>{ date }</time>
                                }
                            </a>
                        </li>
                    }
                }) }
            </ul>
        </nav>
    }
}
