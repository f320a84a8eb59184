//! Menus that work from the keyboard at once.

use yew::prelude::*;

/// A menu's ref whose first button takes the focus when the menu opens.
#[hook]
pub fn use_focus_first() -> NodeRef {
    let menu_ref = use_node_ref();
    {
        let menu_ref = menu_ref.clone();
        use_effect_with((), move |_| {
            let first = menu_ref.cast::<web_sys::Element>().and_then(|m| m.query_selector("button").ok().flatten());
            if let Some(b) = first.and_then(|f| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(f).ok()) {
                // Focus can fail only on a detached element; the menu is mounted.
                b.focus().ok();
            }
        });
    }
    menu_ref
}
