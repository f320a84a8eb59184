//! The "Articles" navigation: a filter, a sort menu, the corpus's totals as a small chart,
//! and the articles by title and date with their status and span counts (in the active
//! set), linking to their routes. What is listed, in what order, is [`crate::listing`]'s.
//!
//! The list is virtual: only the rows in view (and a few either side) are in the page, in a
//! scrolling box whose padding stands for the rest, so 5,000 articles draw as fast as 20.
//! Rows have one fixed height ([`ROW_PX`], matched by the stylesheet).

use yew::prelude::*;

use super::{add_article::AddArticle, import_corpus::ImportCorpus};
use crate::{
    listing::{SortBy, Status},
    route::Route,
    shell::store::{use_store, Msg},
};

/// The height of one row, in CSS pixels (`.article-rows li` in the stylesheet).
pub const ROW_PX: usize = 72;
/// Rows drawn beyond the visible ones on each side, so fast scrolling shows no gap.
const OVERSCAN: usize = 6;

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
    // (first row in view, rows in view), from the scrolling box.
    let view = use_state(|| (0usize, 12usize));
    let (scroller, rows_ref) = (use_node_ref(), use_node_ref());
    let listing = store.listing();
    let (entries, order, totals) = (&listing.entries, &listing.order, &listing.totals);
    let state = store.state();
    let ws = &state.workspace;

    let (first, visible) = *view;
    let start = first.saturating_sub(OVERSCAN).min(order.len());
    let end = (first + visible + OVERSCAN).min(order.len());
    {
        // The padding stands for the rows not drawn. (Set through the CSSOM: the page's
        // content security policy allows no style attributes.)
        let rows_ref = rows_ref.clone();
        let (above, below) = (start * ROW_PX, (order.len() - end) * ROW_PX);
        use_effect_with((above, below), move |(above, below)| {
            if let Some(ul) = rows_ref.cast::<web_sys::HtmlElement>() {
                let _ = ul.style().set_property("padding-top", &format!("{above}px"));
                let _ = ul.style().set_property("padding-bottom", &format!("{below}px"));
            }
        });
    }
    {
        // A newly opened article (by the "next not done" key, say) is scrolled into view, and
        // again once the stored articles read after the start are in (they come before it).
        let at = props.selected.as_deref().and_then(|id| ws.document_index(id));
        let selected_at = at.and_then(|at| order.iter().position(|&i| entries[i].index == at));
        let (scroller, view) = (scroller.clone(), view.clone());
        use_effect_with((props.selected.clone(), store.reading.is_none()), move |_| {
            if let (Some(at), Some(el)) = (selected_at, scroller.cast::<web_sys::Element>()) {
                let (top, height) = (el.scroll_top().max(0) as usize, el.client_height().max(0) as usize);
                let y = at * ROW_PX;
                if y < top || y + ROW_PX > top + height {
                    let to = y.saturating_sub(height.saturating_sub(ROW_PX) / 2);
                    el.set_scroll_top(to as i32);
                    view.set((to / ROW_PX, height.div_ceil(ROW_PX).max(1)));
                }
            }
        });
    }
    let on_scroll = {
        let view = view.clone();
        Callback::from(move |e: Event| {
            let el: web_sys::Element = e.target_unchecked_into();
            let next = (el.scroll_top().max(0) as usize / ROW_PX, (el.client_height().max(0) as usize).div_ceil(ROW_PX).max(1));
            if next != *view {
                view.set(next);
            }
        })
    };
    let on_filter = {
        let store = store.clone();
        Callback::from(move |e: InputEvent| {
            let input: web_sys::HtmlInputElement = e.target_unchecked_into();
            store.dispatch(Msg::Filter(input.value()));
        })
    };
    let on_sort = {
        let store = store.clone();
        Callback::from(move |e: Event| {
            let select: web_sys::HtmlSelectElement = e.target_unchecked_into();
            if let Some(sort) = SortBy::from_id(&select.value()) {
                store.dispatch(Msg::Sort(sort));
            }
        })
    };

    let shown = if let Some((read, all)) = store.reading {
        // The stored articles the start did not read, coming in after the first paint.
        format!("Reading the articles stored in this browser: {read} of {all}…")
    } else if order.len() == entries.len() {
        format!("{} articles", entries.len())
    } else {
        format!("{} of {} articles", order.len(), entries.len())
    };
    let label_name = |id: &str| ws.labels.label(id).map_or(id.to_owned(), |l| l.name.clone());
    let span_max = totals.by_label.iter().map(|(_, n)| *n).max().unwrap_or(0).max(1);
    html! {
        <nav class="articles" aria-label="Articles">
            <h2 class="panel-title">{ "Articles" }</h2>
            <div class="list-controls">
                <input type="search" aria-label="Filter articles" placeholder="Filter by words" value={store.filter.clone()} oninput={on_filter} />
                <label>{ "Sort by " }
                    <select onchange={on_sort}>
                        { for SortBy::ALL.iter().map(|s| html! { <option value={s.id()} selected={*s == store.sort}>{ s.name() }</option> }) }
                    </select>
                </label>
                <p class="list-count" aria-live="polite">{ shown }</p>
            </div>
            <div class="article-scroll" ref={scroller} onscroll={on_scroll}>
                <ul class="article-rows" ref={rows_ref}>
                    { for order[start..end].iter().enumerate().map(|(k, &i)| {
                        let entry = &entries[i];
                        let doc = &ws.documents()[entry.index];
                        let progress: Vec<String> = entry.counts.iter().map(|(label, n)| {
                            let name = ws.labels.label(label).map_or(label.as_str(), |l| l.name.as_str());
                            // ASCII names read as words ("2 claims"); others stay as written (the
                            // page has no Unicode case tables).
                            let name = if name.is_ascii() { name.to_ascii_lowercase() } else { name.to_owned() };
                            format!("{n} {}", plural(&name, *n))
                        }).collect();
                        let id = AttrValue::from(doc.id.clone());
                        html! {
                            <ArticleRow key={doc.id.clone()} id={id.clone()} current={props.selected.as_ref() == Some(&id)} setsize={order.len()} posinset={start + k + 1}
                                        title={AttrValue::from(doc.header.title.clone())} date={doc.header.date.clone().map(AttrValue::from)}
                                        status={entry.status} progress={AttrValue::from(progress.join(" · "))} />
                        }
                    }) }
                </ul>
            </div>
            <figure class="corpus-chart" aria-labelledby="corpus-chart-title">
                <figcaption id="corpus-chart-title">{ "Corpus progress" }</figcaption>
                <ul aria-label="Articles by status">
                    { for Status::ALL.iter().map(|s| {
                        let n = totals.by_status[*s as usize];
                        let what = format!("{}: {n} of {} articles", capitalised(s.name()), entries.len());
                        html! {
                            <li>
                                <span class="chart-name">{ capitalised(s.name()) }</span>
                                <meter class={status_class(*s)} min="0" max={entries.len().max(1).to_string()} value={n.to_string()} aria-label={what}></meter>
                                <span class="chart-count">{ n }</span>
                            </li>
                        }
                    }) }
                </ul>
                <ul aria-label="Spans by label">
                    { for totals.by_label.iter().map(|(label, n)| {
                        let name = label_name(label);
                        let what = format!("{name}: {n} spans");
                        html! {
                            <li>
                                <span class="chart-name">{ name }</span>
                                <meter min="0" max={span_max.to_string()} value={n.to_string()} aria-label={what}></meter>
                                <span class="chart-count">{ n }</span>
                            </li>
                        }
                    }) }
                </ul>
            </figure>
            <AddArticle />
            <ImportCorpus />
            <p class="storage-estimate" id="storage-estimate">{ storage_line() }</p>
        </nav>
    }
}

/// Props of [`ArticleRow`].
#[derive(Properties, PartialEq)]
struct ArticleRowProps {
    id: AttrValue,
    /// It is the article on screen.
    current: bool,
    /// How many rows the list has, and this one's place (from 1).
    setsize: usize,
    posinset: usize,
    title: AttrValue,
    date: Option<AttrValue>,
    status: Status,
    /// Its span counts ("2 claims · 1 quote"), empty for none.
    progress: AttrValue,
}

/// One article in the list: a component of its own, so an edit redraws only the rows it
/// changed (the article's counts), not every row in view.
#[function_component]
fn ArticleRow(props: &ArticleRowProps) -> Html {
    html! {
        <li aria-setsize={props.setsize.to_string()} aria-posinset={props.posinset.to_string()}>
            <a href={Route::Doc(props.id.to_string()).to_hash()}
               aria-current={props.current.then_some("page")}>
                <span class="article-title">{ &props.title }</span>
                <span class="row-meta">
                    if let Some(date) = &props.date {
                        <time class="article-date" datetime={date.clone()}>{ date }</time>
                    }
                    <span class={classes!("article-status", status_class(props.status))}>{ props.status.name() }</span>
                </span>
                if !props.progress.is_empty() {
                    <span class="progress">{ &props.progress }</span>
                }
            </a>
        </li>
    }
}

fn status_class(s: Status) -> &'static str {
    match s {
        Status::NotStarted => "not-started",
        Status::InProgress => "in-progress",
        Status::Done => "done",
    }
}

/// "not started" → "Not started" (the names are ASCII).
fn capitalised(s: &str) -> String {
    let mut out = s.to_owned();
    if let Some(first) = out.get_mut(..1) {
        first.make_ascii_uppercase();
    }
    out
}

/// "1 entity", "2 entities", "3 claims".
fn plural(name: &str, n: usize) -> String {
    match (n, name.strip_suffix('y')) {
        (1, _) => name.to_owned(),
        (_, Some(stem)) if !stem.ends_with(['a', 'e', 'i', 'o', 'u']) => format!("{stem}ies"),
        _ => format!("{name}s"),
    }
}

/// What this site keeps in the browser, as the browser estimates it, and whether the browser
/// agreed to keep it until the user clears it (`navigator.storage.persist()`).
fn storage_line() -> String {
    let (estimate, persisted) = crate::shell::services::storage::estimate();
    let mb = |bytes: f64| {
        if bytes >= 1e9 {
            format!("{:.1} GB", bytes / 1e9)
        } else {
            format!("{:.1} MB", bytes / 1e6)
        }
    };
    let kept = if persisted { "kept until you clear it" } else { "the browser may clear it when the disk runs short; download backups" };
    match estimate {
        Some((usage, quota)) => format!("Stored in this browser: {} of {} available ({kept}).", mb(usage), mb(quota)),
        None => String::new(),
    }
}
