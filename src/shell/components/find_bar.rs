//! The find bar (`Ctrl+F` or `/`): a search field with Match case, Whole words and Regular
//! expression, the count of hits in the whole article ("3 of 17", drawn or not), Previous
//! and Next, and "Tag all N hits" as a chosen label. The search is [`crate::find`]'s,
//! through the session (`Msg::Find`); the article draws the hits.

use yew::prelude::*;

use crate::{
    find::{FindOptions, MAX_HITS},
    keymap::{self, Command, Context},
    shell::{
        hooks::shortcuts::{press, FIND_FIELD},
        services::{
            clock::{new_set_id, now},
            timing,
        },
        store::{use_store, Msg},
    },
};

/// The region named "Find in the article".
#[function_component]
pub fn FindBar() -> Html {
    let store = use_store();
    let field = use_node_ref();
    // Focus the field when the bar opens.
    {
        let field = field.clone();
        use_effect_with((), move |_| {
            if let Some(input) = field.cast::<web_sys::HtmlInputElement>() {
                let _ = input.focus();
                input.select();
            }
        });
    }
    let find = &store.find;
    let options = find.options;
    let search = |change: fn(&mut FindOptions, bool)| {
        let (store, field) = (store.clone(), field.clone());
        Callback::from(move |e: Event| {
            let checkbox: web_sys::HtmlInputElement = e.target_unchecked_into();
            let mut options = store.find.options;
            change(&mut options, checkbox.checked());
            let query = field.cast::<web_sys::HtmlInputElement>().map(|i| i.value()).unwrap_or_default();
            store.dispatch(Msg::Find { query, options });
        })
    };
    let on_case = search(|o, on| o.match_case = on);
    let on_words = search(|o, on| o.whole_words = on);
    let on_regex = search(|o, on| o.regex = on);
    let on_input = {
        let store = store.clone();
        Callback::from(move |e: InputEvent| {
            let input: web_sys::HtmlInputElement = e.target_unchecked_into();
            // The search itself, timed for `make bench`; the redraw follows.
            timing::measure("spanwright:find", || store.dispatch(Msg::Find { query: input.value(), options: store.find.options }));
        })
    };
    let on_keydown = {
        let store = store.clone();
        Callback::from(move |e: KeyboardEvent| {
            let command = keymap::lookup(&store.state().workspace.labels, Context::FindBar, &press(&e));
            match command {
                Some(Command::FindNext) => store.dispatch(Msg::FindStep(true)),
                Some(Command::FindPrevious) => store.dispatch(Msg::FindStep(false)),
                Some(Command::Cancel) => close(&store),
                _ => return,
            }
            e.prevent_default();
        })
    };
    let step = |forward: bool| {
        let store = store.clone();
        Callback::from(move |_: MouseEvent| store.dispatch(Msg::FindStep(forward)))
    };
    let on_close = {
        let store = store.clone();
        Callback::from(move |_: MouseEvent| close(&store))
    };

    // The label choices for "Tag all": each label, and a typed label once per entity type.
    let state = store.state();
    let labels = &state.workspace.labels;
    let choices: Vec<(String, String)> = labels
        .labels
        .iter()
        .flat_map(|l| {
            if l.typed {
                labels.entity_types.iter().map(|t| (format!("{}/{}", l.id, t.id), format!("{} ({})", l.name, t.name))).collect::<Vec<_>>()
            } else {
                vec![(l.id.clone(), l.name.clone())]
            }
        })
        .collect();
    let chosen = use_state(|| None::<String>);
    let value =
        chosen.as_ref().filter(|c| choices.iter().any(|(v, _)| v == *c)).cloned().or_else(|| choices.first().map(|(v, _)| v.clone())).unwrap_or_default();
    let on_choose = {
        let chosen = chosen.clone();
        Callback::from(move |e: Event| {
            let select: web_sys::HtmlSelectElement = e.target_unchecked_into();
            chosen.set(Some(select.value()));
        })
    };
    let n = find.hits.len();
    let tag_all = {
        let (store, value) = (store.clone(), value.clone());
        Callback::from(move |_: MouseEvent| {
            let (label, entity_type) = match value.split_once('/') {
                Some((l, t)) => (l.to_owned(), Some(t.to_owned())),
                None => (value.clone(), None),
            };
            store.dispatch(Msg::TagHits { label, entity_type, at: now(), new_set: new_set_id() });
        })
    };

    let count = match (&find.error, find.current) {
        (Some(_), _) => String::new(),
        (None, _) if find.query.is_empty() => String::new(),
        (None, None) => "No hits".to_owned(),
        (None, Some(i)) if n == MAX_HITS => format!("{} of {n}+ (the search stops at {MAX_HITS})", i + 1),
        (None, Some(i)) => format!("{} of {n}", i + 1),
    };
    let map = keymap::keymap(labels);
    let shortcut = |command: &Command| keymap::aria(&map, Context::FindBar, command);
    html! {
        <div class="find-bar" role="search" aria-label="Find in the article">
            <label class="find-field">
                { "Find" }
                <input type="search" id={FIND_FIELD} ref={field} value={find.query.clone()} oninput={on_input} onkeydown={on_keydown}
                       aria-describedby="find-count find-error" aria-invalid={find.error.is_some().then_some("true")} spellcheck="false" autocomplete="off" />
            </label>
            <label><input type="checkbox" checked={options.match_case} onchange={on_case} />{ "Match case" }</label>
            <label><input type="checkbox" checked={options.whole_words} onchange={on_words} />{ "Whole words" }</label>
            <label><input type="checkbox" checked={options.regex} onchange={on_regex} />{ "Regular expression" }</label>
            <output id="find-count" class="find-count" aria-live="polite">{ count }</output>
            if let Some(error) = &find.error {
                <p id="find-error" class="find-error" role="alert">{ error }</p>
            }
            <button type="button" onclick={step(false)} disabled={n == 0} aria-keyshortcuts={shortcut(&Command::FindPrevious)}>{ "Previous hit" }</button>
            <button type="button" onclick={step(true)} disabled={n == 0} aria-keyshortcuts={shortcut(&Command::FindNext)}>{ "Next hit" }</button>
            <label>
                { "Tag hits as" }
                <select onchange={on_choose}>
                    { for choices.iter().map(|(v, name)| html! { <option value={v.clone()} selected={*v == value}>{ name }</option> }) }
                </select>
            </label>
            <button type="button" onclick={tag_all} disabled={n == 0}>{ if n == 1 { "Tag the hit".to_owned() } else { format!("Tag all {n} hits") } }</button>
            <button type="button" onclick={on_close} aria-keyshortcuts={shortcut(&Command::Cancel)}>{ "Close find" }</button>
        </div>
    }
}

/// Closes the bar and gives the keyboard back to the article text.
fn close(store: &UseReducerHandle<crate::shell::store::Store>) {
    store.dispatch(Msg::FindClose);
    if let Some(text) = gloo::utils::document().query_selector(".article-text").ok().flatten() {
        if let Some(text) = wasm_bindgen::JsCast::dyn_ref::<web_sys::HtmlElement>(&text) {
            let _ = text.focus();
        }
    }
}
