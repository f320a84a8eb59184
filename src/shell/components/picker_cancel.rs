//! The "Cancel" item that closes a picker (Escape does the same).

use yew::prelude::*;

use crate::shell::store::{use_store, Msg};

/// A menu item that closes the open picker.
#[function_component]
pub fn PickerCancel() -> Html {
    let store = use_store();
    let cancel = Callback::from(move |_: MouseEvent| store.dispatch(Msg::Cancel));
    html! { <button type="button" role="menuitem" onclick={cancel} aria-keyshortcuts="Escape">{ "Cancel" }</button> }
}
