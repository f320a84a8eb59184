//! The menu of the document's entities, to attribute the chosen quote or claim to one: its
//! speaker or claimant (which relation is the schema's, [`crate::model::LabelSet::attribution`]).

use yew::prelude::*;

use super::picker_cancel::PickerCancel;
use crate::{
    layout::describe,
    model::Span,
    shell::{
        hooks::focus_first::use_focus_first,
        services::clock::now,
        store::{use_store, Msg},
    },
    state::Action,
};

/// How many entities the menu offers.
const SPEAKER_CHOICES: usize = 12;

/// The menu named after the relation ("Speaker", "Claimant").
#[function_component]
pub fn SpeakerPicker() -> Html {
    let store = use_store();
    let menu_ref = use_focus_first();
    let (Some(set), Some(from)) = (store.active_set(), store.attributing) else { return html! {} };
    let Some(from_span) = set.span(from) else { return html! {} };
    let state = store.state();
    let ws = &state.workspace;
    let Some(relation) = ws.labels.attribution(&from_span.label) else { return html! {} };
    let Some(doc) = ws.document(&set.doc_id) else { return html! {} };
    let index = doc.index();
    // The entities nearest the quote or claim (a speaker is named close by), so the menu
    // stays short in a long article.
    let mut entities: Vec<&Span> = set.spans().iter().filter(|s| ws.labels.label(&s.label).is_some_and(|l| l.typed)).collect();
    entities.sort_by_key(|s| s.range.start().abs_diff(from_span.range.start()));
    entities.truncate(SPEAKER_CHOICES);
    entities.sort_by_key(|s| s.range.start());
    let items: Html = entities
        .iter()
        .map(|e| {
            let action = Action::AddRelation { set: set.id.clone(), kind: relation.id.clone(), from, to: e.id };
            let name = format!("{}: {}", describe(&ws.labels, e), index.slice(e.range));
            let store = store.clone();
            let pick = Callback::from(move |_: MouseEvent| store.dispatch(Msg::Do(action.clone(), now())));
            html! { <button type="button" role="menuitem" onclick={pick}>{ name }</button> }
        })
        .collect();
    html! {
        <div class="picker" role="menu" aria-label={relation.name.clone()} ref={menu_ref}>
            <span class="picker-title">{ format!("Attribute “{}” to:", index.slice(from_span.range)) }</span>
            if entities.is_empty() {
                <span>{ "no entities in this set yet: tag the speaker as an entity first." }</span>
            }
            { items }
            <PickerCancel />
        </div>
    }
}
