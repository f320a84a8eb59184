//! The "Keyboard shortcuts" dialog: the keymap ([`crate::keymap`]) as tables, one per
//! context. Opened with `?` or the toolbar's button; Escape or Close closes it.

use yew::prelude::*;

use crate::{
    keymap::{self, Context},
    shell::store::use_store,
};

/// Props of [`ShortcutsDialog`].
#[derive(Properties, PartialEq, Clone)]
pub struct ShortcutsDialogProps {
    /// Closes the dialog.
    pub on_close: Callback<()>,
}

/// A modal `dialog` named "Keyboard shortcuts".
#[function_component]
pub fn ShortcutsDialog(props: &ShortcutsDialogProps) -> Html {
    let store = use_store();
    let dialog_ref = use_node_ref();
    {
        // Shown modal, so focus moves into it and the page behind is inert; closed by
        // Escape through the dialog's own cancel event, which the keymap's Escape mirrors.
        let dialog_ref = dialog_ref.clone();
        use_effect_with((), move |_| {
            if let Some(d) = dialog_ref.cast::<web_sys::HtmlDialogElement>() {
                if !d.open() {
                    d.show_modal().ok();
                }
            }
        });
    }
    let close = props.on_close.reform(|_: MouseEvent| ());
    let on_cancel = props.on_close.reform(|e: Event| e.prevent_default());
    let state = store.state();
    let map = keymap::keymap(&state.workspace.labels);
    let tables: Html = Context::ALL
        .into_iter()
        .map(|context| {
            let rows: Html = map
                .iter()
                .filter(|b| b.context == context)
                .map(|b| {
                    let keys: Html = b.keys.iter().map(|k| html! { <><kbd>{ keymap::display(k) }</kbd>{ " " }</> }).collect();
                    html! { <tr><td>{ keys }</td><td>{ &b.description }</td></tr> }
                })
                .collect();
            html! {
                <table>
                    <caption>{ context.title() }</caption>
                    <thead><tr><th scope="col">{ "Keys" }</th><th scope="col">{ "What they do" }</th></tr></thead>
                    <tbody>{ rows }</tbody>
                </table>
            }
        })
        .collect();
    html! {
        <dialog class="shortcuts" aria-labelledby="shortcuts-title" ref={dialog_ref} oncancel={on_cancel}>
            <h2 id="shortcuts-title">{ "Keyboard shortcuts" }</h2>
            { tables }
            <button type="button" onclick={close}>{ "Close" }</button>
        </dialog>
    }
}
