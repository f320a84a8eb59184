//! The adjudication view: the chosen sets of the article on screen merged into a gold set.
//! What enough sets agree on is taken at once; every other place is a conflict card, taken
//! in order with `n` and `p`, decided with `1`…`9` (that set's version), `x` (none) or `e`
//! (edited by hand), each decision undoable with `u`. The rules are
//! [`crate::agreement::adjudicate`]'s: the plan and the gold set are made in the formats
//! worker, and the page keeps only the session ([`Adjudication`]) and the cards as text.
//! Decisions are kept in the browser per article and sets, so an adjudication left half
//! done, or planned again after a set changed, goes on where it stopped.

use std::rc::Rc;

use wasm_bindgen::JsCast;
use yew::prelude::*;

use crate::{
    agreement::adjudicate::{Adjudication, Decision, Version},
    formats::job,
    keymap::{self, Command, Context},
    layout::describe_label,
    model::{CharRange, LabelSet},
    shell::{
        hooks::shortcuts::press,
        services::{
            clock::{new_set_id, now},
            storage, worker,
        },
        store::{use_store, Msg, Notice},
    },
};

/// Props of [`Adjudicator`].
#[derive(Properties, PartialEq, Clone)]
pub struct AdjudicatorProps {
    /// The article.
    pub doc: AttrValue,
    /// The sets to merge, by id, in the order their keys take them.
    pub sets: Rc<Vec<String>>,
    /// How many sets must have a span for it to be taken at once.
    pub k: usize,
    /// Leaves the adjudication (its decisions are kept).
    pub on_close: Callback<()>,
}

#[derive(Clone, PartialEq)]
struct Adj(Adjudication);

enum Step {
    Decide(Decision),
    Undo,
    Next,
    Previous,
    Replan(Vec<String>),
}

impl Reducible for Adj {
    type Action = Step;
    fn reduce(self: Rc<Self>, step: Step) -> Rc<Self> {
        let mut a = Rc::unwrap_or_clone(self);
        match step {
            Step::Decide(d) => {
                a.0.decide(d);
            }
            Step::Undo => {
                a.0.undo();
            }
            Step::Next => a.0.next(),
            Step::Previous => a.0.previous(),
            Step::Replan(keys) => a.0.replan(keys),
        }
        Rc::new(a)
    }
}

/// The plan's cards as the worker laid them out, or why there are none.
#[derive(Clone, PartialEq)]
enum Cards {
    Loading,
    Ready(Rc<Vec<Vec<String>>>),
    Failed(String),
}

/// The region named "Adjudication".
#[function_component]
pub fn Adjudicator(props: &AdjudicatorProps) -> Html {
    let store = use_store();
    let adj = {
        let props = props.clone();
        use_reducer(move || Adj(Adjudication::new(Vec::new(), props.sets.len(), storage::decisions(&props.doc, &props.sets))))
    };
    let cards = use_state(|| Cards::Loading);
    let editing = use_state(|| None::<(String, String, String)>);
    let edit_error = use_state(|| None::<String>);
    let gold_name = use_state(|| "Gold".to_owned());
    let region = use_node_ref();
    {
        // Planned in the worker, and again whenever a set changes (decisions are kept).
        let (adj, cards, store, props) = (adj.clone(), cards.clone(), store.clone(), props.clone());
        use_effect_with(store.revision, move |_| {
            worker::adjudication(&store, &props.doc, &props.sets, props.k, move |reply| match reply {
                Ok((keys, blocks)) => {
                    adj.dispatch(Step::Replan(keys));
                    cards.set(Cards::Ready(Rc::new(blocks)));
                }
                Err(e) => cards.set(Cards::Failed(format!("Could not plan the adjudication: {e}"))),
            });
        });
    }
    {
        let (doc, sets) = (props.doc.clone(), props.sets.clone());
        let store = store.clone();
        use_effect_with(adj.0.decisions.clone(), move |decisions| {
            if let Err(e) = storage::remember_decisions(&doc, &sets, decisions) {
                store.dispatch(Msg::Notice(Notice::Problem(format!(
                    "The decisions could not be kept in this browser ({e}); they last until the page is closed."
                ))));
            }
        });
    }
    {
        // The keys stay the adjudication's: focus goes to the Start field when a hand edit
        // begins, and back to the region whenever what had it is gone (the form closed, Undo
        // disabled) or at first.
        let region = region.clone();
        let editing_now = editing.is_some();
        use_effect_with((editing_now, adj.0.current, adj.0.can_undo(), adj.0.progress()), move |_| {
            let Some(el) = region.cast::<web_sys::HtmlElement>() else { return };
            if editing_now {
                if let Some(field) = el.query_selector("form input").ok().flatten().and_then(|f| f.dyn_into::<web_sys::HtmlElement>().ok()) {
                    let _ = field.focus();
                }
                return;
            }
            let inside = gloo::utils::document().active_element().is_some_and(|a| el.contains(Some(&a)));
            if !inside {
                let _ = el.focus();
            }
        });
    }

    let state = store.state();
    let labels = &state.workspace.labels;
    let len = state.workspace.document(&props.doc).map_or(0, |d| d.char_len());
    let a = &adj.0;
    let (decided, total) = a.progress();
    let blocks: Rc<Vec<Vec<String>>> = match &*cards {
        Cards::Ready(b) => b.clone(),
        _ => Rc::new(Vec::new()),
    };
    let summary = blocks.first().cloned().unwrap_or_default();
    let names: Vec<String> = summary.get(2..).map(<[String]>::to_vec).unwrap_or_default();
    let card = a.key().and_then(|k| blocks.iter().skip(1).find(|b| b.get(1).map(String::as_str) == Some(k))).cloned();

    let start_edit = {
        let (editing, edit_error, card) = (editing.clone(), edit_error.clone(), card.clone());
        move || {
            let Some(c) = &card else { return };
            if c.get(9).map(String::as_str) != Some("1") {
                return;
            }
            editing.set(Some((c[6].clone(), c[7].clone(), c[8].clone())));
            edit_error.set(None);
        }
    };
    let run = {
        let (adj, on_close, start_edit, editing) = (adj.clone(), props.on_close.clone(), start_edit.clone(), editing.clone());
        move |command: Command| {
            match command {
                Command::NextConflict => adj.dispatch(Step::Next),
                Command::PreviousConflict => adj.dispatch(Step::Previous),
                Command::TakeVersion(i) => adj.dispatch(Step::Decide(Decision::Take(i))),
                Command::RejectAll => adj.dispatch(Step::Decide(Decision::Reject)),
                Command::UndoDecision => adj.dispatch(Step::Undo),
                Command::EditConflict => return start_edit(),
                Command::Cancel => return on_close.emit(()),
                _ => return,
            }
            editing.set(None);
        }
    };
    let onkeydown = {
        let (run, labels) = (run.clone(), labels.clone());
        Callback::from(move |e: KeyboardEvent| {
            let in_field = e.target_dyn_into::<web_sys::Element>().is_some_and(|el| matches!(el.tag_name().as_str(), "INPUT" | "SELECT" | "TEXTAREA"));
            if in_field {
                return;
            }
            if let Some(command) = keymap::lookup(&labels, Context::Adjudication, &press(&e)) {
                e.prevent_default();
                run(command);
            }
        })
    };
    let button = |text: &str, command: Command, keys: &str, disabled: bool| {
        let run = run.clone();
        html! { <button type="button" aria-keyshortcuts={keys.to_owned()} {disabled} onclick={Callback::from(move |_: MouseEvent| run(command.clone()))}>{ text }</button> }
    };

    let body = match (&*cards, &card) {
        // The one status line says so (below), so there is a single live region.
        (Cards::Loading, _) => html! {},
        (Cards::Failed(why), _) => html! { <p class="notice" role="alert">{ why.clone() }</p> },
        (Cards::Ready(_), None) => html! { <p>{ "No conflicts: nothing to decide." }</p> },
        (Cards::Ready(_), Some(c)) => {
            let versions: Html = c
                .iter()
                .skip(10)
                .enumerate()
                .map(|(i, what)| {
                    let pressed = a.decision() == Some(&Decision::Take(i));
                    let run = run.clone();
                    let take = Callback::from(move |_: MouseEvent| run(Command::TakeVersion(i)));
                    html! {
                        <li><button type="button" aria-pressed={pressed.to_string()} aria-keyshortcuts={(i + 1).to_string()} onclick={take}>
                            { format!("{} · {}: {what}", i + 1, names.get(i).cloned().unwrap_or_default()) }
                        </button></li>
                    }
                })
                .collect();
            let decision = match a.decision() {
                None => "Not decided yet.".to_owned(),
                Some(Decision::Take(i)) => format!("Decided: {}'s version.", names.get(*i).cloned().unwrap_or_default()),
                Some(Decision::Reject) => "Decided: none of them.".to_owned(),
                Some(Decision::Edit(v)) => {
                    format!("Decided: edited by hand, {} at {}–{}.", describe_label(labels, &v.label, v.entity_type.as_deref()), v.start, v.end)
                }
            };
            let editable = c.get(9).map(String::as_str) == Some("1");
            html! {
                <article class="conflict" aria-labelledby="conflict-title">
                    <h4 id="conflict-title">{ format!("Conflict {} of {total}: {}", a.current + 1, c[2]) }</h4>
                    <p class="excerpt">{ c[3].clone() }<mark>{ c[4].clone() }</mark>{ c[5].clone() }</p>
                    <ol class="versions" aria-label="Versions">{ versions }</ol>
                    <p class="decision">{ decision }</p>
                    <div class="row">
                        { button("Previous", Command::PreviousConflict, "p", false) }
                        { button("Next", Command::NextConflict, "n", false) }
                        { button("Reject all", Command::RejectAll, "x", false) }
                        if editable {
                            { button("Edit by hand", Command::EditConflict, "e", false) }
                        }
                        { button("Undo decision", Command::UndoDecision, "u Control+Z", !a.can_undo()) }
                    </div>
                    { edit_form(labels, len, &editing, &edit_error, &adj) }
                </article>
            }
        }
    };

    let create = {
        let (store, adj, props, gold_name) = (store.clone(), adj.clone(), props.clone(), gold_name.clone());
        Callback::from(move |_: MouseEvent| {
            let name = if gold_name.trim().is_empty() { "Gold".to_owned() } else { gold_name.trim().to_owned() };
            let decisions = crate::agreement::adjudicate::encode_decisions(&adj.0.decisions);
            let (at, annotator) = (now(), store.annotator.clone());
            let (for_reply, on_close) = (store.clone(), props.on_close.clone());
            let reply_at = at.clone();
            worker::gold(&store, &props.doc, &props.sets, props.k, &decisions, (&new_set_id(), &name, &annotator), &at, move |reply| {
                let store = for_reply;
                match reply.and_then(|r| Ok((job::merge_from_reply(&store.state().workspace, &r)?, r.summary))) {
                    Ok((merge, summary)) => {
                        store.dispatch(Msg::Merge { merge, summary, at: reply_at });
                        on_close.emit(());
                    }
                    Err(e) => store.dispatch(Msg::Notice(Notice::Problem(format!("The gold set was not created: {e}")))),
                }
            });
        })
    };
    let on_name = {
        let gold_name = gold_name.clone();
        Callback::from(move |e: InputEvent| {
            let input: web_sys::HtmlInputElement = e.target_unchecked_into();
            gold_name.set(input.value());
        })
    };
    let leave = props.on_close.reform(|_: MouseEvent| ());

    html! {
        <section class="adjudication" aria-labelledby="adjudication-title" data-own-keys="" tabindex="-1" ref={region} {onkeydown}>
            <div class="row">
                <h3 id="adjudication-title">{ format!("Adjudication of {}", names.join(", ")) }</h3>
                <button type="button" aria-keyshortcuts="Escape" onclick={leave}>{ "Leave adjudication" }</button>
            </div>
            <p>{ summary.get(1).cloned().unwrap_or_default() }</p>
            <p class="progress" role="status" aria-busy={matches!(*cards, Cards::Loading).to_string()}>
                { if matches!(*cards, Cards::Loading) { "Planning the adjudication…".to_owned() } else { format!("{decided} of {total} conflicts decided") } }
            </p>
            <progress max={total.max(1).to_string()} value={decided.to_string()} aria-label="Conflicts decided"></progress>
            { body }
            <div class="row gold">
                <label>{ "Gold set name " }<input type="text" value={(*gold_name).clone()} oninput={on_name} /></label>
                <button type="button" onclick={create}>{ "Create gold set" }</button>
            </div>
        </section>
    }
}

/// "entity/person" or "claim": a label and type as one select value.
fn tag_of(label: &str, entity_type: Option<&str>) -> String {
    match entity_type {
        Some(t) => format!("{label}/{t}"),
        None => label.to_owned(),
    }
}

/// The hand-edit form: start, end and label of the version to keep.
fn edit_form(
    labels: &LabelSet,
    len: usize,
    editing: &UseStateHandle<Option<(String, String, String)>>,
    error: &UseStateHandle<Option<String>>,
    adj: &UseReducerHandle<Adj>,
) -> Html {
    let Some((start, end, tag)) = (**editing).clone() else { return html! {} };
    let field = |i: usize| {
        let editing = editing.clone();
        Callback::from(move |e: Event| {
            let value = if i == 2 {
                e.target_unchecked_into::<web_sys::HtmlSelectElement>().value()
            } else {
                e.target_unchecked_into::<web_sys::HtmlInputElement>().value()
            };
            if let Some(mut v) = (*editing).clone() {
                match i {
                    0 => v.0 = value,
                    1 => v.1 = value,
                    _ => v.2 = value,
                }
                editing.set(Some(v));
            }
        })
    };
    let options: Html = labels
        .labels
        .iter()
        .flat_map(|l| {
            if l.typed {
                labels.entity_types.iter().map(|t| (tag_of(&l.id, Some(&t.id)), describe_label(labels, &l.id, Some(&t.id)))).collect::<Vec<_>>()
            } else {
                vec![(l.id.clone(), l.name.clone())]
            }
        })
        .map(|(value, text)| {
            let selected = value == tag;
            html! { <option {selected} {value}>{ text }</option> }
        })
        .collect();
    let keep = {
        let (editing, error, adj, labels) = (editing.clone(), error.clone(), adj.clone(), labels.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let Some((start, end, tag)) = (*editing).clone() else { return };
            let (label, entity_type) = match tag.split_once('/') {
                Some((l, t)) => (l.to_owned(), Some(t.to_owned())),
                None => (tag.clone(), None),
            };
            let range = match (start.trim().parse::<usize>(), end.trim().parse::<usize>()) {
                (Ok(s), Ok(e)) => CharRange::new(s, e, len).map_err(|e| e.to_string()),
                _ => Err("give the start and end as whole numbers of characters".to_owned()),
            };
            match range {
                Err(why) => error.set(Some(format!("Not kept: {why}."))),
                Ok(_) if labels.label(&label).is_none() => error.set(Some(format!("Not kept: there is no label “{label}”."))),
                Ok(r) => {
                    adj.dispatch(Step::Decide(Decision::Edit(Version { start: r.start(), end: r.end(), label, entity_type })));
                    editing.set(None);
                    error.set(None);
                }
            }
        })
    };
    let cancel = {
        let editing = editing.clone();
        Callback::from(move |_: MouseEvent| editing.set(None))
    };
    html! {
        <form class="edit-version row" aria-label="Edit the span by hand" onsubmit={keep}>
            <label>{ "Start " }<input type="number" min="0" max={len.to_string()} value={start} onchange={field(0)} /></label>
            <label>{ "End " }<input type="number" min="0" max={len.to_string()} value={end} onchange={field(1)} /></label>
            <label>{ "Label " }<select onchange={field(2)}>{ options }</select></label>
            <button type="submit">{ "Keep this version" }</button>
            <button type="button" onclick={cancel}>{ "Cancel" }</button>
            if let Some(why) = &**error {
                <p class="notice" role="alert">{ why.clone() }</p>
            }
        </form>
    }
}
