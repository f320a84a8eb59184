//! The "Agreement" region: how far the chosen sets agree, over the article on screen or every
//! article. The figures come from the formats worker ([`crate::agreement::report`], the same
//! report `spanwright agree` prints), already laid out as blocks of strings
//! ([`crate::agreement::view`]): a corpus is measured off the page's thread, and the figures'
//! types stay out of the page's module. It draws each pair's figures per label, the pairwise
//! matrix as a heat map for three or more sets, every disagreement (each opens the article at
//! its place), the two sets of a pair over the text, the report as CSV or JSON, and the way
//! into adjudication.

use std::rc::Rc;

use yew::prelude::*;

use super::adjudication::Adjudicator;
use crate::{
    agreement::{
        adjudicate::majority,
        report::{owners, set_title},
        DEFAULT_IOU,
    },
    shell::{
        services::{
            files::download,
            timing,
            worker::{self, Agreement},
        },
        store::{use_store, Msg, Notice},
    },
};

/// Props of [`AgreementPanel`].
#[derive(Properties, PartialEq, Clone)]
pub struct AgreementPanelProps {
    /// Closes the region.
    pub on_close: Callback<()>,
}

/// What the worker answered.
#[derive(Clone)]
enum Outcome {
    /// Measuring: documents compared so far, of how many (0 of 0 before the first word).
    Busy(usize, usize),
    Done(Rc<Agreement>),
    Failed(String),
}

/// The region named "Agreement".
#[function_component]
pub fn AgreementPanel(props: &AgreementPanelProps) -> Html {
    let store = use_store();
    let whole = use_state(|| false);
    let unchosen = use_state(Vec::<String>::new);
    // θ in hundredths: a whole number is all the form needs to read.
    let iou = use_state(|| (DEFAULT_IOU * 100.0) as u32);
    let outcome = use_state(|| Outcome::Busy(0, 0));
    let adjudicate = use_state(|| None::<(String, Vec<String>, usize)>);
    let k = use_state(|| 0usize);

    let state = store.state();
    let ws = &state.workspace;
    let doc = store.doc.clone();
    // The sets to choose from: this article's, by id; or every annotator's, across articles.
    // "All articles" means the article list as filtered, when a filter is typed.
    let filtered: Option<Vec<String>> = store.listed_documents();
    let candidates: Vec<(String, String)> = if *whole {
        let listed: Option<std::collections::HashSet<&String>> = filtered.as_ref().map(|f| f.iter().collect());
        let docs: Vec<_> = ws.documents().iter().map(|d| &**d).filter(|d| listed.as_ref().is_none_or(|f| f.contains(&d.id))).collect();
        owners(ws, &docs).into_iter().map(|o| (o.clone(), o)).collect()
    } else {
        doc.as_deref().map(|d| ws.sets_of(d).map(|s| (s.id.clone(), set_title(s))).collect()).unwrap_or_default()
    };
    let selected: Vec<String> = candidates.iter().filter(|(id, _)| !unchosen.contains(id)).map(|(id, _)| id.clone()).collect();

    {
        // Measured again whenever the choice, θ or the annotations change.
        let (store, outcome) = (store.clone(), outcome.clone());
        let docs: Vec<String> = if *whole { filtered.clone().unwrap_or_default() } else { doc.iter().cloned().collect() };
        let none_listed = *whole && filtered.as_ref().is_some_and(Vec::is_empty);
        let theta = f64::from(*iou) / 100.0;
        // Measured again when a compared set changes, not when the page only shows another
        // set or article (opening a disagreement keeps the report and its place).
        let fingerprint = {
            use std::hash::{Hash, Hasher};
            let mut h = std::collections::hash_map::DefaultHasher::new();
            let compared: std::collections::HashSet<&String> = docs.iter().collect();
            for s in ws.sets().iter().filter(|s| compared.is_empty() || compared.contains(&s.doc_id)) {
                (&s.id, &s.updated, s.spans().len(), s.relations().len(), &s.name, &s.annotator).hash(&mut h);
            }
            h.finish()
        };
        use_effect_with((selected.clone(), docs, *iou, fingerprint), move |(selected, docs, _, _)| {
            outcome.set(Outcome::Busy(0, 0));
            if none_listed {
                outcome.set(Outcome::Failed("No article is in the filtered list.".into()));
            } else if selected.len() < 2 {
                outcome.set(Outcome::Failed("Choose two or more sets to compare.".into()));
            } else {
                // Timed from the page's side for make bench (spanwright:agree), the whole job.
                let timing = timing::start("spanwright:agree".to_owned());
                let (outcome, tell) = (outcome.clone(), outcome.clone());
                // The worker's comparisons; handing articles over is quick after the first time.
                let told: worker::Told = Rc::new(move |stage, done, total| {
                    if stage == worker::Stage::Working {
                        tell.set(Outcome::Busy(done, total));
                    }
                });
                worker::agree(&store, selected, docs, theta, told, move |reply| {
                    timing.end();
                    match reply {
                        Ok(r) => outcome.set(Outcome::Done(Rc::new(r))),
                        Err(e) => outcome.set(Outcome::Failed(format!("Could not measure agreement: {e}"))),
                    }
                });
            }
        });
    }

    let close = props.on_close.reform(|_: MouseEvent| ());
    let on_scope = {
        let (whole, unchosen) = (whole.clone(), unchosen.clone());
        Callback::from(move |e: Event| {
            let input: web_sys::HtmlInputElement = e.target_unchecked_into();
            whole.set(input.value() == "all");
            unchosen.set(Vec::new());
        })
    };
    let on_iou = {
        let iou = iou.clone();
        Callback::from(move |e: Event| {
            let input: web_sys::HtmlInputElement = e.target_unchecked_into();
            if let Ok(v) = input.value().parse::<u32>() {
                if (1..=100).contains(&v) {
                    iou.set(v);
                }
            }
        })
    };
    let choices: Html = candidates
        .iter()
        .map(|(id, title)| {
            let checked = !unchosen.contains(id);
            let toggle = {
                let (unchosen, id) = (unchosen.clone(), id.clone());
                Callback::from(move |_: Event| {
                    let mut v = (*unchosen).clone();
                    match v.iter().position(|x| *x == id) {
                        Some(i) => {
                            v.remove(i);
                        }
                        None => v.push(id.clone()),
                    }
                    unchosen.set(v);
                })
            };
            html! { <label class="choice"><input type="checkbox" {checked} onchange={toggle} />{ title.clone() }</label> }
        })
        .collect();

    let body = match &*outcome {
        Outcome::Busy(0, _) => html! { <p class="agreement-busy" role="status" aria-busy="true">{ "Measuring agreement…" }</p> },
        Outcome::Busy(done, total) => html! {
            <p class="agreement-busy" role="status" aria-busy="true">
                { format!("Measuring agreement: {done} of {total} article comparisons… ") }
                <progress max={total.to_string()} value={done.to_string()} aria-label="Agreement measured"></progress>
            </p>
        },
        Outcome::Failed(why) => html! { <p class="notice" role="status">{ why.clone() }</p> },
        Outcome::Done(done) => {
            let save = |name: &'static str, media: &'static str, content: &js_sys::ArrayBuffer| {
                let (store, content) = (store.clone(), content.clone());
                Callback::from(move |_: MouseEvent| {
                    if let Err(e) = download(name, media, content.clone()) {
                        store.dispatch(Msg::Notice(Notice::Problem(format!("Could not download {name}: {e}"))));
                    }
                })
            };
            // A disagreement's button carries its place; one listener opens any of them.
            let open = {
                let store = store.clone();
                Callback::from(move |e: MouseEvent| {
                    let Some(button) = e.target_dyn_into::<web_sys::Element>().and_then(|t| t.closest("button[data-span]").ok().flatten()) else { return };
                    let attr = |name: &str| button.get_attribute(name).unwrap_or_default();
                    let Ok(span) = attr("data-span").parse() else { return };
                    let doc = attr("data-doc");
                    let _ = gloo::utils::window().location().set_hash(&crate::route::Route::Doc(doc.clone()).to_hash());
                    store.dispatch(Msg::Reveal { doc, set: attr("data-set"), span });
                })
            };
            html! {
                <>
                    <p class="agreement-time">{ format!("Measured in {:.0} ms in the formats worker, off the page's thread.", done.took) }</p>
                    <div class="row">
                        <button type="button" onclick={save("agreement.csv", "text/csv", &done.csv)}>{ "Download report (CSV)" }</button>
                        <button type="button" onclick={save("agreement.json", "application/json", &done.json)}>{ "Download report (JSON)" }</button>
                    </div>
                    <div class="agreement-report" onclick={open}>{ Html::from_html_unchecked(done.html.clone()) }</div>
                </>
            }
        }
    };

    // Adjudication of this article's chosen sets.
    let can_adjudicate = !*whole && selected.len() >= 2 && doc.is_some();
    let n = selected.len();
    let least = majority(n);
    let k_now = if *k == 0 || *k > n { n } else { (*k).max(least) };
    let start = {
        let (adjudicate, selected, doc) = (adjudicate.clone(), selected.clone(), doc.clone());
        Callback::from(move |_: MouseEvent| adjudicate.set(doc.clone().map(|d| (d, selected.clone(), k_now))))
    };
    let on_k = {
        let k = k.clone();
        Callback::from(move |e: Event| {
            let input: web_sys::HtmlInputElement = e.target_unchecked_into();
            k.set(input.value().parse().unwrap_or(0));
        })
    };
    let stop = {
        let adjudicate = adjudicate.clone();
        Callback::from(move |()| adjudicate.set(None))
    };
    // An adjudication is of one article: it ends when another article is opened.
    if let Some((d, sets, k)) = (*adjudicate).clone().filter(|(d, ..)| Some(d) == doc.as_ref()) {
        let key = format!("{d}\u{1f}{}", sets.join("\u{1f}"));
        return html! {
            <section class="agreement" aria-labelledby="agreement-title">
                <h2 id="agreement-title">{ "Agreement" }</h2>
                <Adjudicator {key} doc={AttrValue::from(d)} sets={Rc::new(sets)} {k} on_close={stop} />
            </section>
        };
    }

    html! {
        <section class="agreement" aria-labelledby="agreement-title">
            <div class="row">
                <h2 id="agreement-title">{ "Agreement" }</h2>
                <button type="button" onclick={close}>{ "Close agreement" }</button>
            </div>
            <fieldset class="row">
                <legend>{ "Compare over" }</legend>
                <label class="choice"><input type="radio" name="agreement-scope" value="doc" checked={!*whole} onchange={on_scope.clone()} />{ "This article" }</label>
                <label class="choice"><input type="radio" name="agreement-scope" value="all" checked={*whole} onchange={on_scope} />{ match &filtered {
                    Some(f) => format!("The {} article{} in the filtered list (sets by annotator)", f.len(), if f.len() == 1 { "" } else { "s" }),
                    None => "All articles (sets by annotator)".to_owned(),
                } }</label>
            </fieldset>
            <fieldset class="row">
                <legend>{ "Sets" }</legend>
                { choices }
            </fieldset>
            <label class="row">{ "Overlap counts at IoU ≥ (%) " }
                <input type="number" min="1" max="100" step="5" value={iou.to_string()} onchange={on_iou} />
            </label>
            if can_adjudicate {
                <div class="row">
                    <label>{ "Agreed when at least " }
                        <input type="number" min={least.to_string()} max={n.to_string()} value={k_now.to_string()} onchange={on_k} aria-describedby="k-of-n" />
                    </label>
                    <span id="k-of-n">{ format!(" of the {n} sets have a span ") }</span>
                    <button type="button" onclick={start}>{ "Adjudicate these sets" }</button>
                </div>
            }
            { body }
        </section>
    }
}
