//! The entity type menu shown after "Entity": a button per type with its key.

use yew::prelude::*;

use super::picker_cancel::PickerCancel;
use crate::{
    keymap::{self, Command, Context},
    shell::{
        hooks::focus_first::use_focus_first,
        services::clock::{new_set_id, now},
        store::{use_store, Msg},
    },
};

/// The menu named "Entity type".
#[function_component]
pub fn TypePicker() -> Html {
    let store = use_store();
    let menu_ref = use_focus_first();
    let state = store.state();
    let labels = &state.workspace.labels;
    let Some(typed) = labels.labels.iter().find(|l| l.typed).map(|l| l.id.clone()) else {
        return html! {};
    };
    let map = keymap::keymap(labels);
    let items: Html = labels
        .entity_types
        .iter()
        .map(|t| {
            let (store, typed, ty) = (store.clone(), typed.clone(), t.id.clone());
            let key = t.key.map(|k| k.to_string());
            html! {
                <button type="button" role="menuitem" aria-keyshortcuts={keymap::aria(&map, Context::TypeMenu, &Command::EntityType(t.id.clone()))}
                        onclick={Callback::from(move |_: MouseEvent| store.dispatch(Msg::Tag { label: typed.clone(), entity_type: Some(ty.clone()), at: now(), new_set: new_set_id() }))}>
                    { &t.name }
                    if let Some(k) = key { <kbd aria-hidden="true">{ k }</kbd> }
                </button>
            }
        })
        .collect();
    html! {
        <div class="picker" role="menu" aria-label="Entity type" ref={menu_ref}>
            <span class="picker-title">{ "Entity type:" }</span>
            { items }
            <PickerCancel />
        </div>
    }
}
