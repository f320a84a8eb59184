//! The status line: the latest message, or whether work is saved, or why not.

use yew::prelude::*;

use crate::{shell::store::Notice, storage::Saved};

/// Props of [`StatusLine`].
#[derive(Properties, PartialEq, Clone)]
pub struct StatusLineProps {
    /// The latest message.
    pub notice: Option<Notice>,
    /// Whether work is saved.
    pub saved: Saved,
    /// True once anything changed (before that, there is nothing to call saved).
    pub changed: bool,
    /// "Load the other tab's work", offered when another tab saved over unsaved work here.
    pub on_take_other: Callback<MouseEvent>,
}

/// A `status` region, or an `alert` when something is wrong.
#[function_component]
pub fn StatusLine(props: &StatusLineProps) -> Html {
    match (&props.notice, &props.saved) {
        (_, Saved::Conflict) => html! {
            <div class="status problem" role="alert">
                <p>{ "Another tab saved changes to this workspace while this tab had changes it could not save. Nothing was overwritten: use Download JSON to keep this tab's work, or load the other tab's." }</p>
                <button type="button" onclick={props.on_take_other.clone()}>{ "Load the other tab's work" }</button>
            </div>
        },
        (Some(Notice::Problem(p)), _) => html! { <p class="status problem" role="alert">{ p }</p> },
        (_, Saved::No(why)) => html! {
            <p class="status problem" role="alert">{ format!("Not saved: {why}. Your work is kept in this tab; use Download JSON to keep a copy.") }</p>
        },
        (Some(Notice::Info(i)), Saved::Yes | Saved::Pending) => html! { <p class="status" role="status">{ i }</p> },
        (None, Saved::Yes) => html! { <p class="status" role="status">{ if props.changed { "Saved" } else { "" } }</p> },
        (None, Saved::Pending) => html! { <p class="status" role="status">{ "Saving…" }</p> },
    }
}
