//! The interface's session: what the screen shows beside the annotations (the article on
//! screen, the selection and caret, the chosen span, the open pickers, the status line) and
//! how each thing the user does changes it and the [`State`].
//!
//! Pure, like the reducer: no clock, no storage, no browser. The shell passes the time and
//! any new ids in, and its Yew store is a thin adapter over [`Session::update`]. Every change
//! to annotations goes through [`State::dispatch`] or [`State::dispatch_all`], so it is
//! undoable; the session only decides which actions a message means.

use std::sync::Arc;

use super::{merge::Merge, Action, ActionError, State};
use crate::{
    find::{find, FindOptions, Hit},
    listing::SortBy,
    model::{
        offsets::{clean_selection, CleanOptions},
        AnnotationSet, CharRange, DocId, LabelId, SetId, SpanId, Workspace,
    },
    suggest::{pending, Source, Suggestion},
};

/// The find bar: what is searched for in the article on screen, and its hits.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Find {
    /// The bar is open.
    pub open: bool,
    /// What is searched for (kept when the bar closes, for next time).
    pub query: String,
    /// How.
    pub options: FindOptions,
    /// Every hit in the whole article, drawn or not, in document order.
    pub hits: Arc<[Hit]>,
    /// The hit Enter and Shift+Enter went to (an index into `hits`).
    pub current: Option<usize>,
    /// Why the query cannot be searched for (a regular expression that does not parse).
    pub error: Option<String>,
    /// Bumped each time the bar goes to a hit, so the article scrolls to it.
    pub reveal: u64,
}

/// Suggestions for the set on screen, whose `suggestions` switch is on: what the formats
/// worker suggested, and which of them are still open there.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Suggesting {
    /// The document they are for.
    pub doc: DocId,
    /// The set they are for (its person spans are the quotes' speakers, its rejections are
    /// left out).
    pub set: SetId,
    /// Which asking of the worker the suggestions answer: bumped whenever it is asked again,
    /// so an answer to an earlier asking is not taken for the latest.
    pub asked: u64,
    /// Waiting for the worker.
    pub waiting: bool,
    /// The worker could not work them out (the notice said why); not asked again until the
    /// set, the article or the settings change.
    pub failed: bool,
    /// What the notice says before the count when they arrive ("Cleared the gazetteer.").
    pub note: String,
    /// Everything suggested for the document.
    pub all: Arc<[Suggestion]>,
    /// Those neither rejected in the active set nor already spans there, in document order.
    pub open: Arc<[Suggestion]>,
    /// The revision `open` was worked out at (`None`: not yet), so it is worked out again
    /// only after an edit, not on every caret move.
    pub checked: Option<u64>,
}

/// A line for the status area: information or a problem.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Notice {
    /// Something went as asked.
    Info(String),
    /// Something went wrong; the message says what and where.
    Problem(String),
}

/// True for what changes which articles there are or the labels.
fn reshapes(msg: &Msg) -> bool {
    let action = |a: &Action| matches!(a, Action::AddDocument { .. } | Action::RemoveDocument { .. } | Action::Import { .. } | Action::SetLabels { .. });
    match msg {
        Msg::Do(a, _) => action(a),
        Msg::DoAll(all, _) => all.iter().any(action),
        Msg::Merge { .. } => true,
        _ => false,
    }
}

/// What the interface shows besides the annotations.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Session {
    /// Bumped on every change to the workspace, so effects and props compare cheaply.
    pub revision: u64,
    /// The revision at which the workspace was taken from another tab's save: there is
    /// nothing to save for it.
    pub adopted: u64,
    /// Stored articles still being read after the start: how many are in, of how many
    /// (`None`: all are).
    pub reading: Option<(usize, usize)>,
    /// Bumped when stored records read after the start are added: the workspace changed,
    /// but not by an edit (nothing to save, the article on screen unchanged).
    pub stored: u64,
    /// The document on screen.
    pub doc: Option<DocId>,
    /// The cleaned selection in the article, in code points.
    pub selection: Option<CharRange>,
    /// The raw selection as (anchor, head) code points; the head is the caret. Kept apart
    /// from the cleaned selection so Shift+arrows extend what the user selected, not what
    /// trimming made of it.
    pub caret: Option<(usize, usize)>,
    /// True when the caret moved by keyboard, so the shell draws it into the page (a mouse
    /// selection is already there).
    pub caret_from_keys: bool,
    /// Grow selections to whole words.
    pub snap_to_words: bool,
    /// The span chosen in the list or article.
    pub focused: Option<SpanId>,
    /// Bumped each time a span is chosen, so choosing the same one again still scrolls to it.
    pub reveal: u64,
    /// Waiting for an entity type for this range.
    pub picking: Option<CharRange>,
    /// Waiting for the speaker (or claimant) of this quote (or claim).
    pub attributing: Option<SpanId>,
    /// The latest message.
    pub notice: Option<Notice>,
    /// Who is annotating in this browser: new sets are theirs.
    pub annotator: String,
    /// The find bar.
    pub find: Find,
    /// Suggestions, while the active set of the document on screen has them switched on.
    pub suggesting: Option<Suggesting>,
    /// How many times the worker has been asked for suggestions (see [`Suggesting::asked`]).
    pub suggest_asks: u64,
    /// The article list's filter, as typed.
    pub filter: String,
    /// The article list's order.
    pub sort: SortBy,
}

/// What the interface asks of the session.
#[derive(Debug)]
pub enum Msg {
    /// An annotation action, at a time from the caller's clock.
    Do(Action, String),
    /// Several actions as one undo step (all or nothing).
    DoAll(Vec<Action>, String),
    /// Who is annotating in this browser, for the sets they create.
    Annotator(String),
    /// Tag the current selection (or the range waiting for a type); when the document has no
    /// set yet, one is created, and both are one undo step.
    Tag {
        /// Label.
        label: LabelId,
        /// Entity type.
        entity_type: Option<LabelId>,
        /// Time.
        at: String,
        /// Id for a new set, if one is needed.
        new_set: SetId,
    },
    /// A label's button or key: a typed label opens the type picker, any other tags.
    Label {
        /// Label.
        label: LabelId,
        /// Time.
        at: String,
        /// Id for a new set, if one is needed.
        new_set: SetId,
    },
    /// Mark the document on screen done (or not) in its active set; when it has no set yet,
    /// one is created, and both are one undo step.
    MarkDone {
        /// Done or not.
        done: bool,
        /// Time.
        at: String,
        /// Id for a new set, if one is needed.
        new_set: SetId,
    },
    /// The article list's filter changed.
    Filter(String),
    /// The article list's order changed.
    Sort(SortBy),
    /// Show the entity type picker for the current selection.
    PickType,
    /// Start choosing the speaker or claimant of the chosen span.
    Attribute,
    /// Close pickers.
    Cancel,
    /// The selection in the article moved: anchor and head in code points, by keyboard or not.
    Caret(Option<(usize, usize)>, bool),
    /// Turn word snapping on or off.
    SnapToWords(bool),
    /// Choose a span.
    Focus(Option<SpanId>),
    /// Another document is on screen.
    Open(Option<DocId>),
    /// Add what an upload brought (labels included), as one undoable import, and report it
    /// with `summary` first.
    Merge {
        /// What to add.
        merge: Merge,
        /// "Uploaded x.json (…): 2 documents, …".
        summary: String,
        /// Time.
        at: String,
    },
    /// Take the workspace another tab saved. History starts afresh: its steps were made on
    /// another state, and undoing them here would undo the other tab's work.
    Adopt(Workspace, String),
    /// Another tab's saved records, brought into this page's workspace (built by
    /// [`crate::storage::records::integrate`]): like [`Msg::Adopt`], but what this page's own
    /// unsaved edits touched stays to be saved.
    Integrate(Workspace, String),
    /// Records storage read after the page started, added to the workspace without touching
    /// the history ([`Workspace::add_in_order`]), and how far that reading has come (`None`:
    /// it is over). Until then, what would change which articles there are or the labels
    /// waits, with a word in the status line ([`Session::update`]).
    Stored {
        /// The index's order of the articles, by id.
        order: std::rc::Rc<std::collections::HashMap<DocId, usize>>,
        /// The set this browser showed on each article.
        active: std::rc::Rc<std::collections::BTreeMap<DocId, SetId>>,
        /// Documents read.
        documents: Vec<crate::model::Document>,
        /// Sets read.
        sets: Vec<AnnotationSet>,
        /// Articles read so far, and in all.
        reading: Option<(usize, usize)>,
    },
    /// Show a message.
    Notice(Notice),
    /// Open the find bar (searching again for what it held).
    FindOpen,
    /// Close the find bar; its hits are no longer drawn.
    FindClose,
    /// Search the article on screen for `query`; the current hit becomes the first at or
    /// after the caret.
    Find {
        /// What to find.
        query: String,
        /// How.
        options: FindOptions,
    },
    /// Go to the next (true) or previous hit, round the end.
    FindStep(bool),
    /// Switch suggestions on or off in the active set of the document on screen, one undo
    /// step (the switch is kept with the set); when the document has no set yet, one is
    /// created in the same step. While the set on screen has them on, the shell asks the
    /// worker for them.
    SuggestOn {
        /// On or off.
        on: bool,
        /// Time.
        at: String,
        /// Id for a new set, if one is needed.
        new_set: SetId,
    },
    /// The gazetteer or the speech verbs changed: the notice says this line (empty for
    /// none), and when suggestions are on, the worker is asked again and the line is followed
    /// by the new count.
    Resuggest(String),
    /// What the worker suggested, for the asking [`Suggesting::asked`] names.
    Suggested {
        /// The asking answered.
        asked: u64,
        /// The suggestions.
        all: Vec<Suggestion>,
    },
    /// The worker could not work out the suggestions of an asking: none are shown for now
    /// (the set keeps its switch) and the notice says why.
    SuggestFailed {
        /// The asking.
        asked: u64,
        /// Why, for people.
        why: String,
    },
    /// Accept the open suggestion at this place in the list: tag it, recording what
    /// suggested it; one undo step.
    Accept {
        /// Index into the open suggestions.
        index: usize,
        /// Time.
        at: String,
        /// Id for a new set, if one is needed.
        new_set: SetId,
    },
    /// Reject the open suggestion at this place in the list: it is not suggested in this set
    /// again; one undo step.
    Reject {
        /// Index into the open suggestions.
        index: usize,
        /// Time.
        at: String,
        /// Id for a new set, if one is needed.
        new_set: SetId,
    },
    /// Accept every open suggestion from one source, as one undo step.
    AcceptAll {
        /// The source.
        source: Source,
        /// Time.
        at: String,
        /// Id for a new set, if one is needed.
        new_set: SetId,
    },
    /// Tag every hit as a span, as one undo step, skipping hits that would split a
    /// character or already hold that span; the notice says how many were made and skipped.
    TagHits {
        /// Label.
        label: LabelId,
        /// Entity type.
        entity_type: Option<LabelId>,
        /// Time.
        at: String,
        /// Id for a new set, if one is needed.
        new_set: SetId,
    },
    /// Open a document at a span of one of its sets: that set is shown and the span chosen
    /// and scrolled to (a disagreement or a conflict the user picked).
    Reveal {
        /// The document.
        doc: DocId,
        /// The set.
        set: SetId,
        /// The span.
        span: SpanId,
    },
}

/// "Select some text in the article first."
pub const SELECT_FIRST: &str = "Select some text in the article first.";
/// Attribute with nothing attributable chosen.
pub const ATTRIBUTE_FIRST: &str = "Choose a quote or claim first, then attribute it.";

impl Session {
    /// A session with a message to show at start, if any.
    pub fn new(notice: Option<Notice>) -> Self {
        Session { notice, ..Session::default() }
    }

    /// The active set of the document on screen.
    pub fn active_set<'s>(&self, state: &'s State) -> Option<&'s AnnotationSet> {
        state.workspace.active_set(self.doc.as_deref()?)
    }

    /// After another tab's work was taken in: nothing here refers to what is gone.
    fn adopted_now(&mut self, state: &State, message: String) {
        self.revision += 1;
        self.adopted = self.revision;
        if self.focused_gone(state) {
            self.focused = None;
        }
        self.picking = None;
        self.attributing = None;
        self.notice = Some(Notice::Info(message));
        self.refind(state);
    }

    /// Applies `msg` to the session and, through the reducer, to `state`.
    pub fn update(&mut self, state: &mut State, msg: Msg) {
        // While stored articles are still being read, adding, removing or importing articles
        // and changing the labels wait: the sets still to come are checked against the
        // labels, and those of an article not read yet would outlive its removal.
        let msg = if self.reading.is_some() && reshapes(&msg) {
            Msg::Notice(Notice::Info("The articles stored in this browser are still being read; try again in a moment.".into()))
        } else {
            msg
        };
        self.apply(state, msg);
        self.follow_suggestions(state);
    }

    /// Suggestions follow the set on screen: asked for when it has them switched on and they
    /// are not there yet for it (after a switch, a reload, another article or set, an undo),
    /// dropped when it has them off, and the open ones worked out again after any edit (one
    /// accepted, rejected, undone or tagged by hand).
    fn follow_suggestions(&mut self, state: &State) {
        let wanted = self.doc.clone().zip(self.active_set(state).filter(|s| s.suggestions).map(|s| s.id.clone()));
        let Some((doc, set)) = wanted else {
            self.suggesting = None;
            return;
        };
        match &self.suggesting {
            Some(sg) if sg.doc == doc && sg.set == set && sg.checked == Some(self.revision) => {}
            Some(sg) if sg.doc == doc && sg.set == set => {
                let open = pending(sg.all.to_vec(), self.active_set(state));
                let sg = self.suggesting.as_mut().expect("matched above");
                sg.checked = Some(self.revision);
                if open[..] != sg.open[..] {
                    sg.open = open.into();
                }
            }
            _ => self.ask_for_suggestions(doc, set, String::new()),
        }
    }

    /// Starts waiting for the worker's suggestions for `set` of `doc`; `note` is said before
    /// their count.
    fn ask_for_suggestions(&mut self, doc: DocId, set: SetId, note: String) {
        self.suggest_asks += 1;
        self.suggesting = Some(Suggesting { doc, set, asked: self.suggest_asks, waiting: true, note, ..Suggesting::default() });
    }

    fn apply(&mut self, state: &mut State, msg: Msg) {
        match msg {
            Msg::Do(action, at) => {
                let removing = matches!(&action, Action::RemoveSpan { span, .. } if Some(*span) == self.focused);
                self.dispatch(state, action, &at);
                if removing || self.focused_gone(state) {
                    self.focused = None;
                }
                self.attributing = None;
            }
            Msg::DoAll(actions, at) => {
                self.dispatch_all(state, actions, &at);
                if self.focused_gone(state) {
                    self.focused = None;
                }
            }
            Msg::Annotator(name) => self.annotator = name.trim().to_owned(),
            Msg::Label { label, at, new_set } => {
                if state.workspace.labels.label(&label).is_some_and(|l| l.typed) {
                    self.update(state, Msg::PickType);
                } else {
                    self.update(state, Msg::Tag { label, entity_type: None, at, new_set });
                }
            }
            Msg::Tag { label, entity_type, at, new_set } => self.tag(state, label, entity_type, &at, new_set),
            Msg::MarkDone { done, at, new_set } => {
                let Some(doc) = self.doc.clone() else { return };
                match self.active_set(state).map(|s| s.id.clone()) {
                    Some(set) => {
                        self.dispatch(state, Action::SetDone { set, done }, &at);
                    }
                    None => {
                        let create = Action::CreateSet { id: new_set.clone(), doc, name: "Annotations".into(), annotator: self.annotator.clone() };
                        self.dispatch_all(state, vec![create, Action::SetDone { set: new_set, done }], &at);
                    }
                }
            }
            Msg::Filter(filter) => self.filter = filter,
            Msg::Sort(sort) => self.sort = sort,
            Msg::PickType => match self.selection {
                Some(range) => self.picking = Some(range),
                None => self.notice = Some(Notice::Problem(SELECT_FIRST.into())),
            },
            Msg::Attribute => {
                let span = self.focused.and_then(|id| self.active_set(state)?.span(id));
                match span.and_then(|s| state.workspace.labels.attribution(&s.label).map(|_| s.id)) {
                    Some(id) => self.attributing = Some(id),
                    None => self.notice = Some(Notice::Problem(ATTRIBUTE_FIRST.into())),
                }
            }
            Msg::Cancel => {
                self.picking = None;
                self.attributing = None;
            }
            Msg::Caret(caret, keys) => {
                self.caret = caret;
                self.caret_from_keys = keys;
                self.selection = self.clean(state, caret);
                self.picking = None;
            }
            Msg::SnapToWords(on) => {
                self.snap_to_words = on;
                self.selection = self.clean(state, self.caret);
            }
            Msg::Focus(id) => {
                self.focused = id;
                self.reveal += 1;
            }
            Msg::Open(doc) => {
                if self.doc != doc {
                    self.doc = doc;
                    self.selection = None;
                    self.caret = None;
                    self.focused = None;
                    self.picking = None;
                    self.attributing = None;
                    self.refind(state);
                }
            }
            Msg::Merge { merge, summary, at } => {
                let mut lines = merge.messages;
                // The plan's labels were the workspace's when the file was read, plus the
                // file's; the workspace's may have changed since, so only what it lacks is added.
                let merged = state.workspace.labels.merged_with(&merge.labels);
                let labels = (merged != state.workspace.labels).then_some(merged);
                if labels.is_some() || !merge.documents.is_empty() || !merge.sets.is_empty() {
                    let before = self.revision;
                    self.dispatch(state, Action::Import { documents: merge.documents, sets: merge.sets, labels }, &at);
                    if self.revision == before {
                        return; // refused: the notice says why
                    }
                }
                lines.insert(0, summary);
                self.notice = Some(Notice::Info(lines.join(" ")));
            }
            Msg::Adopt(ws, message) => {
                *state = State::new(ws);
                self.adopted_now(state, message);
            }
            Msg::Integrate(ws, message) => {
                state.integrate(ws);
                self.adopted_now(state, message);
            }
            Msg::Stored { order, active, documents, sets, reading } => {
                if !documents.is_empty() || !sets.is_empty() {
                    state.add_stored(|ws| ws.add_in_order(documents, sets, &order, &active));
                    self.stored += 1;
                }
                self.reading = reading;
            }
            Msg::Notice(n) => self.notice = Some(n),
            Msg::FindOpen => {
                self.find.open = true;
                self.refind(state);
            }
            Msg::FindClose => {
                self.find = Find { open: false, query: std::mem::take(&mut self.find.query), options: self.find.options, ..Find::default() };
            }
            Msg::Find { query, options } => {
                self.find.open = true;
                self.find.query = query;
                self.find.options = options;
                self.refind(state);
                // Searching as one types goes to the first hit, as a browser's find does.
                if self.find.current.is_some() {
                    self.find.reveal += 1;
                }
            }
            Msg::FindStep(forward) => {
                let n = self.find.hits.len();
                if n > 0 {
                    self.find.current = Some(match self.find.current {
                        None if forward => 0,
                        None => n - 1,
                        Some(i) if forward => (i + 1) % n,
                        Some(i) => (i + n - 1) % n,
                    });
                    self.find.reveal += 1;
                }
            }
            Msg::TagHits { label, entity_type, at, new_set } => self.tag_hits(state, label, entity_type, &at, new_set),
            Msg::SuggestOn { on, at, new_set } => {
                let Some(doc) = self.doc.clone() else { return };
                match self.active_set(state).map(|s| (s.id.clone(), s.suggestions)) {
                    Some((_, was)) if was == on => {}
                    Some((set, _)) => {
                        self.dispatch(state, Action::SetSuggestions { set, on }, &at);
                    }
                    None if !on => {}
                    None => {
                        let create = Action::CreateSet { id: new_set.clone(), doc, name: "Annotations".into(), annotator: self.annotator.clone() };
                        self.dispatch_all(state, vec![create, Action::SetSuggestions { set: new_set, on }], &at);
                    }
                }
            }
            Msg::Resuggest(note) => {
                if !note.is_empty() {
                    self.notice = Some(Notice::Info(note.clone()));
                }
                if let Some(sg) = self.suggesting.take() {
                    self.ask_for_suggestions(sg.doc, sg.set, note);
                }
            }
            Msg::SuggestFailed { asked, why } => {
                // Not asked again until the set, the article or the settings change.
                if let Some(sg) = self.suggesting.as_mut().filter(|sg| sg.asked == asked) {
                    sg.waiting = false;
                    sg.failed = true;
                    sg.all = Arc::from(Vec::new());
                    sg.open = Arc::from(Vec::new());
                    sg.checked = Some(self.revision);
                }
                self.notice = Some(Notice::Problem(format!("Could not work out suggestions: {why}")));
            }
            Msg::Suggested { asked, all } => {
                if let Some(sg) = self.suggesting.as_mut().filter(|sg| sg.asked == asked) {
                    sg.waiting = false;
                    sg.all = all.into();
                    sg.checked = None;
                    let n = sg.all.len();
                    let count = format!("{n} {}.", if n == 1 { "suggestion" } else { "suggestions" });
                    self.notice = Some(Notice::Info(if sg.note.is_empty() { count } else { format!("{} {count}", sg.note) }));
                }
            }
            Msg::Accept { index, at, new_set } => {
                let Some(s) = self.suggesting.as_ref().and_then(|sg| sg.open.get(index)).cloned() else { return };
                self.decide(state, vec![s], true, &at, new_set);
            }
            Msg::Reject { index, at, new_set } => {
                let Some(s) = self.suggesting.as_ref().and_then(|sg| sg.open.get(index)).cloned() else { return };
                self.decide(state, vec![s], false, &at, new_set);
            }
            Msg::AcceptAll { source, at, new_set } => {
                let chosen: Vec<Suggestion> =
                    self.suggesting.as_ref().map(|sg| sg.open.iter().filter(|s| s.source == source).cloned().collect()).unwrap_or_default();
                if !chosen.is_empty() {
                    self.decide(state, chosen, true, &at, new_set);
                }
            }
            Msg::Reveal { doc, set, span } => {
                let exists = state.workspace.set(&set).is_some_and(|s| s.doc_id == doc && s.span(span).is_some());
                if !exists {
                    self.notice = Some(Notice::Problem("That span is no longer there: the set changed since the figures were computed.".into()));
                    return;
                }
                self.update(state, Msg::Open(Some(doc.clone())));
                let _ = state.dispatch(Action::SwitchSet { doc, set }, "");
                self.revision += 1;
                self.update(state, Msg::Focus(Some(span)));
            }
        }
    }

    fn tag(&mut self, state: &mut State, label: LabelId, entity_type: Option<LabelId>, at: &str, new_set: SetId) {
        let range = self.picking.take().or(self.selection);
        let (Some(range), Some(doc)) = (range, self.doc.clone()) else {
            self.notice = Some(Notice::Problem(SELECT_FIRST.into()));
            return;
        };
        let (start, end) = (range.start(), range.end());
        let created = match self.active_set(state).map(|s| s.id.clone()) {
            Some(set) => self.dispatch(state, Action::AddSpan { set, start, end, label, entity_type }, at),
            None => {
                let create = Action::CreateSet { id: new_set.clone(), doc, name: "Annotations".into(), annotator: self.annotator.clone() };
                let add = Action::AddSpan { set: new_set, start, end, label, entity_type };
                self.dispatch_all(state, vec![create, add], at).and_then(|c| c.last().copied().flatten())
            }
        };
        if created.is_some() {
            self.focused = created;
            self.selection = None;
            self.caret = self.caret.map(|(_, head)| (head, head));
        }
    }

    /// Searches the article on screen again for the find bar's query (the bar opened, the
    /// query or the article changed). The current hit is the first at or after the caret.
    fn refind(&mut self, state: &State) {
        let f = &mut self.find;
        f.current = None;
        f.error = None;
        f.hits = Arc::from(Vec::new());
        let doc = self.doc.as_deref().and_then(|d| state.workspace.document(d));
        let (true, Some(doc)) = (f.open, doc) else { return };
        match find(&doc.index(), &f.query, f.options) {
            Ok(hits) => {
                let from = self.caret.map_or(0, |(a, h)| a.min(h));
                f.current = (!hits.is_empty()).then(|| hits.iter().position(|h| h.range.start() >= from).unwrap_or(0));
                f.hits = hits.into();
            }
            Err(e) => f.error = Some(e.to_string()),
        }
    }

    /// Accepts (or rejects) `chosen` in the active set, creating it first when there is
    /// none, as one undo step.
    fn decide(&mut self, state: &mut State, chosen: Vec<Suggestion>, accept: bool, at: &str, new_set: SetId) {
        let Some(doc) = self.doc.clone() else { return };
        let mut actions = Vec::new();
        let set = match self.active_set(state) {
            Some(s) => s.id.clone(),
            None => {
                actions.push(Action::CreateSet { id: new_set.clone(), doc, name: "Annotations".into(), annotator: self.annotator.clone() });
                new_set
            }
        };
        let n = chosen.len();
        // Accepted quotes that name a speaker held in the set are linked to it in the same
        // step: the ids the new spans and links will get are the set's next ones, in order.
        let existing = state.workspace.set(&set).filter(|_| actions.is_empty());
        let mut next_id = existing.map_or(0, |x| x.fresh_id());
        for s in chosen {
            let link = existing.filter(|_| accept).and_then(|x| {
                let kind = crate::model::labels::ATTRIBUTIONS.iter().find(|(label, _)| **label == *s.label).map(|(_, kind)| *kind)?;
                state.workspace.labels.relation_types.iter().find(|r| r.id == kind)?;
                let speaker = s.speaker?;
                let to = x.spans().iter().find(|p| p.range == speaker && p.entity_type.as_deref() == Some("person"))?.id;
                Some((kind.to_owned(), to))
            });
            let from = next_id;
            next_id += 1;
            actions.push(if accept {
                Action::AcceptSuggestion {
                    set: set.clone(),
                    start: s.range.start(),
                    end: s.range.end(),
                    label: s.label.to_string(),
                    entity_type: s.entity_type.as_deref().map(str::to_owned),
                    source: s.source.name().to_owned(),
                    detail: s.detail.to_string(),
                }
            } else {
                Action::RejectSuggestion { set: set.clone(), rejection: s.rejection() }
            });
            if let Some((kind, to)) = link {
                actions.push(Action::AddRelation { set: set.clone(), kind, from, to });
                next_id += 1;
            }
        }
        if self.dispatch_all(state, actions, at).is_some() {
            let what = match (accept, n) {
                (true, 1) => "Accepted the suggestion.".to_owned(),
                (true, n) => format!("Accepted {n} suggestions."),
                (false, _) => "Rejected the suggestion; it is not suggested in this set again.".to_owned(),
            };
            self.notice = Some(Notice::Info(what));
        }
    }

    fn tag_hits(&mut self, state: &mut State, label: LabelId, entity_type: Option<LabelId>, at: &str, new_set: SetId) {
        let Some(doc) = self.doc.clone() else { return };
        let labels = &state.workspace.labels;
        let name = match (labels.label(&label), entity_type.as_deref().and_then(|t| labels.entity_type(t))) {
            (Some(l), Some(t)) => format!("{} ({})", l.name, t.name),
            (Some(l), None) => l.name.clone(),
            (None, _) => label.clone(),
        };
        let set = self.active_set(state);
        let (mut split, mut already, mut actions) = (0usize, 0usize, Vec::new());
        let set_id = match set {
            Some(s) => s.id.clone(),
            None => {
                actions.push(Action::CreateSet { id: new_set.clone(), doc, name: "Annotations".into(), annotator: self.annotator.clone() });
                new_set
            }
        };
        // Ranges that already hold a span of this label (a set holds each range and label once).
        let existing: std::collections::HashSet<(usize, usize)> =
            set.map(|s| s.spans().iter().filter(|x| x.label == label).map(|x| (x.range.start(), x.range.end())).collect()).unwrap_or_default();
        for h in self.find.hits.iter() {
            if !h.whole {
                split += 1;
            } else if existing.contains(&(h.range.start(), h.range.end())) {
                already += 1;
            } else {
                actions.push(Action::AddSpan {
                    set: set_id.clone(),
                    start: h.range.start(),
                    end: h.range.end(),
                    label: label.clone(),
                    entity_type: entity_type.clone(),
                });
            }
        }
        let made = actions.iter().filter(|a| matches!(a, Action::AddSpan { .. })).count();
        let mut message = if made == 0 {
            format!("Tagged no hits as {name}.")
        } else {
            if self.dispatch_all(state, actions, at).is_none() {
                return; // refused: the notice says why
            }
            format!("Tagged {made} {} as {name}.", if made == 1 { "hit" } else { "hits" })
        };
        if split > 0 {
            message.push_str(&format!(" Skipped {split} that would split a character."));
        }
        if already > 0 {
            message.push_str(&format!(" Skipped {already} already tagged as {name}."));
        }
        self.notice = Some(Notice::Info(message));
    }

    fn focused_gone(&self, state: &State) -> bool {
        self.focused.is_some_and(|id| self.active_set(state).and_then(|set| set.span(id)).is_none())
    }

    /// What a raw (anchor, head) selection means once cleaned (see [`clean_selection`]).
    fn clean(&self, state: &State, caret: Option<(usize, usize)>) -> Option<CharRange> {
        let (a, h) = caret?;
        let doc = state.workspace.document(self.doc.as_deref()?)?;
        let index = doc.index();
        let raw = CharRange::new(a.min(h), a.max(h), index.char_len()).ok()?;
        clean_selection(&index, raw, CleanOptions { snap_to_words: self.snap_to_words })
    }

    /// Dispatches `action`; on success bumps the revision, clears the notice and returns what
    /// it created; on refusal says why in the notice.
    fn dispatch(&mut self, state: &mut State, action: Action, at: &str) -> Option<u64> {
        if self.waits_for_sets(std::slice::from_ref(&action)) {
            return None;
        }
        self.outcome(state.dispatch(action, at)).flatten()
    }

    fn dispatch_all(&mut self, state: &mut State, actions: Vec<Action>, at: &str) -> Option<Vec<Option<u64>>> {
        if self.waits_for_sets(&actions) {
            return None;
        }
        self.outcome(state.dispatch_all(actions, at))
    }

    /// While stored records are still being read, an article with no set shown may have sets
    /// not read yet: a new set for it waits, so it is not made beside them (the first span
    /// of an article goes in a set made for it).
    fn waits_for_sets(&mut self, actions: &[Action]) -> bool {
        let waits = self.reading.is_some() && actions.iter().any(|a| matches!(a, Action::CreateSet { .. }));
        if waits {
            self.notice = Some(Notice::Info("This article's annotations are still being read from this browser's storage; try again in a moment.".into()));
        }
        waits
    }

    fn outcome<T>(&mut self, result: Result<T, ActionError>) -> Option<T> {
        match result {
            Ok(created) => {
                self.revision += 1;
                self.notice = None;
                Some(created)
            }
            Err(e) => {
                self.notice = Some(Notice::Problem(capitalise(&e.to_string())));
                None
            }
        }
    }
}

/// The reducer's messages start lower-case ("nothing to undo"); the status line shows them as
/// sentences. They start with an ASCII letter, so ASCII case is enough (and keeps Unicode's
/// case tables out of the page).
fn capitalise(s: &str) -> String {
    let mut out = s.to_owned();
    if let Some(first) = out.get_mut(..1) {
        first.make_ascii_uppercase();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{
        find::FindOptions,
        fixture,
        model::{Label, LabelSet},
        suggest::Source,
    };

    const T: &str = "2026-11-24T00:00:00Z";

    /// "Jane Roe said: \"Acme will grow.\"" with no set, open on screen.
    fn fresh() -> (Session, State) {
        let ws = fixture::workspace("Jane Roe said: \"Acme will grow.\"");
        let mut st = State::new(ws);
        st.dispatch(Action::DeleteSet { set: "set".into() }, T).unwrap();
        let mut st = State::new(st.workspace);
        let mut s = Session::default();
        s.update(&mut st, Msg::Open(Some("doc".into())));
        (s, st)
    }

    /// The fixture's set: claim 0..31 with a person 0..8 and an organisation 16..20.
    fn tagged() -> (Session, State) {
        let mut st = State::new(fixture::workspace("[claim:[entity/person:Jane Roe] said: \"[entity/organisation:Acme] will grow.\"]"));
        let mut s = Session::default();
        s.update(&mut st, Msg::Open(Some("doc".into())));
        (s, st)
    }

    fn caret(a: usize, h: usize) -> Msg {
        Msg::Caret(Some((a, h)), true)
    }

    fn tag(label: &str, ty: Option<&str>) -> Msg {
        Msg::Tag { label: label.into(), entity_type: ty.map(Into::into), at: T.into(), new_set: "new".into() }
    }

    fn spans(s: &Session, st: &State) -> Vec<(usize, usize, String, Option<String>)> {
        s.active_set(st)
            .map(|set| set.spans().iter().map(|x| (x.range.start(), x.range.end(), x.label.clone(), x.entity_type.clone())).collect())
            .unwrap_or_default()
    }

    fn problem(s: &Session) -> Option<&str> {
        match &s.notice {
            Some(Notice::Problem(p)) => Some(p),
            _ => None,
        }
    }

    #[test]
    fn while_stored_articles_are_read_the_articles_and_labels_stay_as_they_are_and_the_rest_is_added_in_order() {
        let (mut s, mut st) = fresh();
        // A first span before the read: the article has its set.
        s.update(&mut st, caret(0, 8));
        s.update(&mut st, tag("claim", None));
        let later = crate::model::Document::new("later", "Read after the start.", crate::model::Origin::User);
        let order: std::collections::HashMap<DocId, usize> = [("later".to_owned(), 0), ("doc".to_owned(), 1)].into();
        let stored = |documents, reading| Msg::Stored { order: order.clone().into(), active: Default::default(), documents, sets: Vec::new(), reading };
        s.update(&mut st, stored(Vec::new(), Some((1, 2))));
        s.update(&mut st, Msg::Do(Action::RemoveDocument { doc: "doc".into() }, T.into()));
        assert!(st.workspace.document("doc").is_some(), "the removal waits");
        assert!(matches!(&s.notice, Some(Notice::Info(n)) if n.contains("still being read")));
        // Span edits go on in the set shown.
        s.update(&mut st, caret(16, 20));
        s.update(&mut st, tag("claim", None));
        assert_eq!(spans(&s, &st).len(), 2);
        let revision = s.revision;
        s.update(&mut st, stored(vec![later], Some((2, 2))));
        let ids: Vec<&str> = st.workspace.documents().iter().map(|d| d.id.as_str()).collect();
        assert_eq!(ids, ["later", "doc"], "in the index's order");
        assert_eq!((s.revision, s.stored), (revision, 1), "not an edit: nothing to save, the article unchanged");
        assert!(st.can_undo() && st.touched().documents.is_empty());
        // But not a first span on an article with no set shown: its sets may be still to come.
        s.update(&mut st, Msg::Open(Some("later".into())));
        s.update(&mut st, caret(0, 4));
        s.update(&mut st, tag("claim", None));
        assert_eq!(st.workspace.sets().len(), 1, "no set is made while sets are read");
        assert!(matches!(&s.notice, Some(Notice::Info(n)) if n.contains("annotations are still being read")));
        s.update(&mut st, stored(Vec::new(), None));
        s.update(&mut st, caret(0, 4));
        s.update(&mut st, Msg::Tag { label: "claim".into(), entity_type: None, at: T.into(), new_set: "later-set".into() });
        assert_eq!(st.workspace.sets().len(), 2, "once all are in, the first span makes its set");
        s.update(&mut st, Msg::Do(Action::RemoveDocument { doc: "later".into() }, T.into()));
        assert!(st.workspace.document("later").is_none(), "once all are in, it is removed");
    }

    #[test]
    fn messages_change_the_session_and_the_state() {
        type Check = fn(&Session, &State);
        type Setup = fn() -> (Session, State);
        let cases: Vec<(&str, Setup, Vec<Msg>, Check)> = vec![
            ("a selection is cleaned of surrounding whitespace", fresh, vec![caret(8, 15)], |s, _| {
                assert_eq!(s.selection.map(|r| (r.start(), r.end())), Some((9, 14)));
                assert_eq!(s.caret, Some((8, 15)));
            }),
            ("snapping grows a selection to whole words, and back", fresh, vec![caret(1, 6), Msg::SnapToWords(true)], |s, _| {
                assert_eq!(s.selection.map(|r| (r.start(), r.end())), Some((0, 8)));
            }),
            ("tagging with no set creates one and the span, one undo step", fresh, vec![caret(0, 8), tag("claim", None)], |s, st| {
                assert_eq!(spans(s, st), vec![(0, 8, "claim".into(), None)]);
                assert_eq!(s.active_set(st).unwrap().id, "new");
                assert_eq!(s.focused, Some(1));
                assert_eq!(s.selection, None);
                assert_eq!(s.caret, Some((8, 8)));
                let mut st = st.clone();
                st.dispatch(Action::Undo, T).unwrap();
                assert!(st.workspace.sets().is_empty(), "one undo removes the span and the set it needed");
                assert!(!st.can_undo());
            }),
            ("tagging with nothing selected says so", fresh, vec![tag("claim", None)], |s, st| {
                assert_eq!(problem(s), Some(SELECT_FIRST));
                assert!(st.workspace.sets().is_empty() && s.revision == 0);
            }),
            (
                "a typed label opens the type picker; the type tags",
                fresh,
                vec![caret(16, 20), Msg::Label { label: "entity".into(), at: T.into(), new_set: "n".into() }],
                |s, st| {
                    assert_eq!(s.picking.map(|r| (r.start(), r.end())), Some((16, 20)));
                    let (mut s, mut st) = (s.clone(), st.clone());
                    s.update(&mut st, tag("entity", Some("organisation")));
                    assert_eq!(spans(&s, &st), vec![(16, 20, "entity".into(), Some("organisation".into()))]);
                    assert_eq!(s.picking, None);
                },
            ),
            ("an untyped label tags at once", fresh, vec![caret(0, 8), Msg::Label { label: "quote".into(), at: T.into(), new_set: "n".into() }], |s, st| {
                assert_eq!(spans(s, st), vec![(0, 8, "quote".into(), None)]);
            }),
            ("Escape closes the picker", fresh, vec![caret(0, 8), Msg::PickType, Msg::Cancel], |s, _| assert_eq!(s.picking, None)),
            ("a claim can be attributed", tagged, vec![Msg::Focus(Some(1)), Msg::Attribute], |s, _| assert_eq!(s.attributing, Some(1))),
            ("an entity cannot be attributed", tagged, vec![Msg::Focus(Some(2)), Msg::Attribute], |s, _| {
                assert_eq!(s.attributing, None);
                assert_eq!(problem(s), Some(ATTRIBUTE_FIRST));
            }),
            (
                "an action ends attributing",
                tagged,
                vec![
                    Msg::Focus(Some(1)),
                    Msg::Attribute,
                    Msg::Do(Action::AddRelation { set: "set".into(), kind: "claimant".into(), from: 1, to: 2 }, T.into()),
                ],
                |s, st| {
                    assert_eq!(s.attributing, None);
                    assert_eq!(s.active_set(st).unwrap().relations().len(), 1);
                },
            ),
            (
                "deleting the chosen span unchooses it",
                tagged,
                vec![Msg::Focus(Some(2)), Msg::Do(Action::RemoveSpan { set: "set".into(), span: 2 }, T.into())],
                |s, _| {
                    assert_eq!(s.focused, None);
                    assert_eq!(s.revision, 1);
                },
            ),
            ("undoing the span that was chosen unchooses it", fresh, vec![caret(0, 8), tag("claim", None), Msg::Do(Action::Undo, T.into())], |s, _| {
                assert_eq!(s.focused, None);
            }),
            (
                "a refused action says why, capitalised, and changes nothing",
                tagged,
                vec![Msg::Do(Action::RemoveSpan { set: "set".into(), span: 99 }, T.into())],
                |s, _| {
                    assert!(problem(s).is_some_and(|p| p.starts_with(char::is_uppercase)), "{:?}", s.notice);
                    assert_eq!(s.revision, 0);
                },
            ),
            (
                "opening another article clears what was chosen there",
                tagged,
                vec![Msg::Focus(Some(1)), caret(0, 4), Msg::Open(Some("other".into()))],
                |s, _| {
                    assert_eq!((s.focused, s.selection, s.caret, s.doc.as_deref()), (None, None, None, Some("other")));
                },
            ),
            ("reopening the same article keeps what was chosen", tagged, vec![Msg::Focus(Some(1)), Msg::Open(Some("doc".into()))], |s, _| {
                assert_eq!(s.focused, Some(1))
            }),
            ("choosing a span again reveals it again", tagged, vec![Msg::Focus(Some(1)), Msg::Focus(Some(1))], |s, _| assert_eq!(s.reveal, 2)),
            (
                "a disagreement opens its article, shows its set and reveals its span",
                tagged,
                vec![
                    Msg::Do(Action::DuplicateSet { set: "set".into(), id: "copy".into(), name: "Copy".into() }, T.into()),
                    Msg::Open(None),
                    Msg::Reveal { doc: "doc".into(), set: "set".into(), span: 2 },
                ],
                |s, st| {
                    assert_eq!((s.doc.as_deref(), s.focused, s.reveal), (Some("doc"), Some(2), 1));
                    assert_eq!(s.active_set(st).map(|x| x.id.as_str()), Some("set"));
                    assert!(problem(s).is_none());
                    // Showing a set is not an edit: one undo takes back the duplicate.
                    let mut st = st.clone();
                    st.dispatch(Action::Undo, T).unwrap();
                    assert!(st.workspace.set("copy").is_none());
                },
            ),
            ("a span that is gone is said so", tagged, vec![Msg::Reveal { doc: "doc".into(), set: "set".into(), span: 99 }], |s, _| {
                assert!(problem(s).unwrap().contains("no longer there"));
                assert_eq!(s.focused, None);
            }),
        ];
        for (name, setup, msgs, check) in cases {
            let (mut s, mut st) = setup();
            for msg in msgs {
                s.update(&mut st, msg);
            }
            eprintln!("case: {name}");
            check(&s, &st);
        }
    }

    #[test]
    fn an_upload_with_new_labels_is_one_undo_step() {
        let (mut s, mut st) = tagged();
        let mut labels = st.workspace.labels.clone();
        labels.add_label(Label { id: "event".into(), name: "EVENT".into(), tag: "EVENT".into(), color: "#000000".into(), key: None, typed: false }).unwrap();
        let doc = crate::model::Document::new("d2", "Rain fell.", crate::model::Origin::User);
        let mut set = AnnotationSet::new("s2", "Theirs", "them", &doc, T);
        set.insert_span(
            crate::model::Span { id: 1, range: CharRange::new(0, 4, 10).unwrap(), label: "event".into(), entity_type: None, note: None, provenance: None },
            10,
        )
        .unwrap();
        let merge = Merge { labels, documents: vec![doc], sets: vec![set], messages: vec!["Added the label “EVENT”.".into()] };
        s.update(&mut st, Msg::Merge { merge, summary: "Uploaded x.json: 1 document.".into(), at: T.into() });
        assert_eq!(s.notice, Some(Notice::Info("Uploaded x.json: 1 document. Added the label “EVENT”.".into())));
        assert!(st.workspace.labels.label("event").is_some() && st.workspace.set("s2").is_some());
        st.dispatch(Action::Undo, T).unwrap();
        assert!(st.workspace.labels.label("event").is_none(), "the label goes with the set that needed it");
        assert!(st.workspace.set("s2").is_none() && st.workspace.document("d2").is_none());
        st.dispatch(Action::Redo, T).unwrap();
        assert!(st.workspace.labels.label("event").is_some() && st.workspace.set("s2").is_some());
    }

    #[test]
    fn sets_say_who_annotated_them_and_new_ones_are_the_annotators() {
        let (mut s, mut st) = fresh();
        s.update(&mut st, Msg::Annotator("  Ana ".into()));
        s.update(&mut st, caret(0, 8));
        s.update(&mut st, tag("claim", None));
        assert_eq!(s.active_set(&st).unwrap().annotator, "Ana", "tagging into a new set makes it the annotator's");
        let set = s.active_set(&st).unwrap().id.clone();
        // Renaming and setting the annotator is one undo step.
        s.update(
            &mut st,
            Msg::DoAll(
                vec![Action::RenameSet { set: set.clone(), name: "Gold".into() }, Action::SetAnnotator { set: set.clone(), annotator: " Bo ".into() }],
                T.into(),
            ),
        );
        let now = s.active_set(&st).unwrap();
        assert_eq!((now.name.as_str(), now.annotator.as_str()), ("Gold", "Bo"));
        st.dispatch(Action::Undo, T).unwrap();
        let back = st.workspace.set(&set).unwrap();
        assert_eq!((back.name.as_str(), back.annotator.as_str()), ("Annotations", "Ana"));
    }

    #[test]
    fn an_upload_adds_its_labels_to_the_schema_as_it_is_now() {
        // The plan was made when the workspace had the default labels; since then a label was
        // added here. Merging adds the file's label and keeps this one.
        let (mut s, mut st) = tagged();
        let plan_labels = {
            let mut l = st.workspace.labels.clone();
            l.add_label(Label { id: "event".into(), name: "EVENT".into(), tag: "EVENT".into(), color: "#000000".into(), key: None, typed: false }).unwrap();
            l
        };
        let mut now = st.workspace.labels.clone();
        now.add_label(Label { id: "rumour".into(), name: "Rumour".into(), tag: "RUMOUR".into(), color: "#111111".into(), key: Some('r'), typed: false })
            .unwrap();
        st.dispatch(Action::SetLabels { labels: now }, T).unwrap();
        let merge = Merge { labels: plan_labels, documents: vec![], sets: vec![], messages: vec![] };
        s.update(&mut st, Msg::Merge { merge, summary: "Uploaded.".into(), at: T.into() });
        assert!(st.workspace.labels.label("rumour").is_some(), "the label added here is kept");
        assert!(st.workspace.labels.label("event").is_some(), "the file's label is added");
    }

    #[test]
    fn labels_a_span_uses_cannot_be_taken_away() {
        let (_, mut st) = tagged();
        let err = st.dispatch(Action::SetLabels { labels: LabelSet { entity_types: vec![], ..LabelSet::default() } }, T).unwrap_err();
        assert!(err.to_string().contains("person"), "{err}");
        assert_eq!(st.workspace.labels, LabelSet::default());
        let mut renamed = LabelSet::default();
        renamed.labels[0].name = "Assertion".into();
        st.dispatch(Action::SetLabels { labels: renamed.clone() }, T).unwrap();
        assert_eq!(st.workspace.labels, renamed);
        st.dispatch(Action::Undo, T).unwrap();
        assert_eq!(st.workspace.labels, LabelSet::default());
    }

    #[test]
    fn adopting_another_tabs_work_starts_history_afresh() {
        let (mut s, mut st) = fresh();
        s.update(&mut st, caret(0, 8));
        s.update(&mut st, tag("claim", None));
        let theirs = fixture::workspace("Jane Roe said: \"Acme will grow.\"");
        s.update(&mut st, Msg::Adopt(theirs.clone(), "Brought in the changes saved in another tab.".into()));
        assert_eq!(st.workspace, theirs);
        assert!(!st.can_undo());
        assert_eq!((s.revision, s.adopted), (2, 2));
        assert_eq!(s.focused, None, "the chosen span is not in the adopted work");
    }

    /// "Ana met Ana and Ana\u{301}l, then ana." with the first "Ana" a person; hits of "ana"
    /// at 0, 8, 16 (which would split "á") and 28.
    fn names() -> (Session, State) {
        let mut st = State::new(fixture::workspace("[entity/person:Ana] met Ana and Ana\u{301}l, then ana."));
        let mut s = Session::default();
        s.update(&mut st, Msg::Open(Some("doc".into())));
        (s, st)
    }

    fn find(query: &str) -> Msg {
        Msg::Find { query: query.into(), options: FindOptions::default() }
    }

    fn hits(s: &Session) -> Vec<(usize, usize)> {
        s.find.hits.iter().map(|h| (h.range.start(), h.range.end())).collect()
    }

    fn tag_hits(label: &str, ty: Option<&str>) -> Msg {
        Msg::TagHits { label: label.into(), entity_type: ty.map(Into::into), at: T.into(), new_set: "new".into() }
    }

    #[test]
    fn find_counts_every_hit_and_steps_round_them() {
        let (mut s, mut st) = names();
        s.update(&mut st, find("ana"));
        assert!(s.find.open);
        assert_eq!(hits(&s), vec![(0, 3), (8, 11), (16, 19), (28, 31)]);
        assert_eq!(s.find.current, Some(0));
        let steps = [(true, 1), (true, 2), (true, 3), (true, 0), (false, 3), (false, 2)];
        for (forward, want) in steps {
            s.update(&mut st, Msg::FindStep(forward));
            assert_eq!(s.find.current, Some(want));
        }
        assert_eq!(s.find.reveal, 7, "the search and each step scroll to their hit");
        // The current hit starts at the caret when the query changes.
        s.update(&mut st, caret(9, 9));
        s.update(&mut st, find("an"));
        assert_eq!(s.find.current, Some(2));
        // Closing keeps the query but draws no hits; opening finds them again.
        s.update(&mut st, Msg::FindClose);
        assert!(!s.find.open && s.find.hits.is_empty());
        assert_eq!(s.find.query, "an");
        s.update(&mut st, Msg::FindOpen);
        assert_eq!(s.find.hits.len(), 5, "“an” is in “and” too");
        // A bad regular expression says so and finds nothing; nothing else changes.
        s.update(&mut st, Msg::Find { query: "(ana".into(), options: FindOptions { regex: true, ..FindOptions::default() } });
        assert!(s.find.error.as_deref().is_some_and(|e| e.starts_with("Not a valid regular expression")), "{:?}", s.find.error);
        assert!(s.find.hits.is_empty() && s.find.current.is_none());
        s.update(&mut st, Msg::FindStep(true));
        assert_eq!(s.find.current, None);
        // Another article is searched afresh.
        st.dispatch(Action::AddDocument { doc: crate::model::Document::new("d2", "ana, Ana", crate::model::Origin::User) }, T).unwrap();
        s.update(&mut st, find("ana"));
        s.update(&mut st, Msg::Open(Some("d2".into())));
        assert_eq!(hits(&s), vec![(0, 3), (5, 8)]);
    }

    #[test]
    fn tag_all_hits_is_one_undo_step_and_says_what_it_skipped() {
        let (mut s, mut st) = names();
        s.update(&mut st, find("ana"));
        s.update(&mut st, tag_hits("entity", Some("person")));
        assert_eq!(
            s.notice,
            Some(Notice::Info("Tagged 2 hits as Entity (Person). Skipped 1 that would split a character. Skipped 1 already tagged as Entity (Person).".into()))
        );
        let person = |a, b| (a, b, "entity".to_string(), Some("person".to_string()));
        assert_eq!(spans(&s, &st), vec![person(0, 3), person(8, 11), person(28, 31)]);
        st.dispatch(Action::Undo, T).unwrap();
        assert_eq!(spans(&s, &st), vec![person(0, 3)], "one undo takes back every span it made");
        st.dispatch(Action::Redo, T).unwrap();
        assert_eq!(spans(&s, &st).len(), 3);
        // Again: nothing left to tag.
        s.update(&mut st, tag_hits("entity", Some("person")));
        assert_eq!(
            s.notice,
            Some(Notice::Info(
                "Tagged no hits as Entity (Person). Skipped 1 that would split a character. Skipped 3 already tagged as Entity (Person).".into()
            ))
        );
        // Another label is another span on the same range.
        s.update(&mut st, tag_hits("claim", None));
        assert_eq!(s.notice, Some(Notice::Info("Tagged 3 hits as Claim. Skipped 1 that would split a character.".into())));
        assert_eq!(spans(&s, &st).len(), 6);
    }

    #[test]
    fn tag_all_with_no_set_creates_one_in_the_same_step() {
        let (mut s, mut st) = fresh();
        s.update(&mut st, find("e"));
        let n = s.find.hits.len();
        assert_eq!(n, 3, "Jane, Roe, Acme");
        s.update(&mut st, tag_hits("quote", None));
        assert_eq!(spans(&s, &st).len(), n);
        assert_eq!(s.active_set(&st).unwrap().id, "new");
        st.dispatch(Action::Undo, T).unwrap();
        assert!(st.workspace.sets().is_empty() && !st.can_undo(), "one undo removes the spans and the set they needed");
    }

    fn suggest_on(on: bool) -> Msg {
        Msg::SuggestOn { on, at: T.into(), new_set: "n".into() }
    }

    /// The worker's answer to the latest asking, worked out natively.
    fn answer(s: &mut Session, st: &mut State) {
        let sg = s.suggesting.clone().expect("suggestions are on");
        assert!(sg.waiting, "the shell asks the worker while waiting");
        let all = crate::suggest::for_document(&st.workspace, &sg.doc, Some(&sg.set));
        s.update(st, Msg::Suggested { asked: sg.asked, all });
    }

    #[test]
    fn suggestions_are_accepted_and_rejected_one_undo_step_each() {
        let (mut s, mut st) = names();
        s.update(&mut st, suggest_on(true));
        answer(&mut s, &mut st);
        let open = |s: &Session| -> Vec<(usize, usize)> { s.suggesting.as_ref().unwrap().open.iter().map(|x| (x.range.start(), x.range.end())).collect() };
        // "Ana" was tagged once: the other whole "Ana" is suggested (not the one in "Anál").
        assert_eq!(open(&s), vec![(8, 11)]);
        s.update(&mut st, Msg::Reject { index: 0, at: T.into(), new_set: "n".into() });
        assert_eq!(open(&s), vec![]);
        assert_eq!(st.workspace.set("set").unwrap().rejected.len(), 1);
        s.update(&mut st, Msg::Do(Action::Undo, T.into()));
        assert_eq!(open(&s), vec![(8, 11)], "undo brings the rejected suggestion back");
        s.update(&mut st, Msg::AcceptAll { source: Source::Dictionary, at: T.into(), new_set: "n".into() });
        assert_eq!(open(&s), vec![]);
        let span = st.workspace.set("set").unwrap().spans().iter().find(|x| x.range.start() == 8).unwrap().clone();
        assert_eq!(span.provenance, Some(crate::model::Provenance::Suggested { source: "dictionary".into(), detail: "Ana → Person (1×)".into() }));
        assert_eq!(s.notice, Some(Notice::Info("Accepted the suggestion.".into())));
        s.update(&mut st, Msg::Do(Action::Undo, T.into()));
        assert_eq!(open(&s), vec![(8, 11)]);
        // Switching off ends them, and is kept with the set.
        s.update(&mut st, suggest_on(false));
        assert!(s.suggesting.is_none());
        assert!(!st.workspace.set("set").unwrap().suggestions);
    }

    #[test]
    fn the_suggestions_switch_is_the_sets_and_one_undo_step() {
        let (mut s, mut st) = names();
        s.update(&mut st, suggest_on(true));
        assert!(st.workspace.set("set").unwrap().suggestions, "kept with the set");
        let first = s.suggesting.clone().unwrap();
        assert_eq!((first.doc.as_str(), first.set.as_str(), first.waiting), ("doc", "set", true));
        answer(&mut s, &mut st);
        assert_eq!(s.suggesting.as_ref().unwrap().open.len(), 1);
        // Undo switches them off again; redo on, asking the worker anew.
        s.update(&mut st, Msg::Do(Action::Undo, T.into()));
        assert!(!st.workspace.set("set").unwrap().suggestions);
        assert!(s.suggesting.is_none());
        s.update(&mut st, Msg::Do(Action::Redo, T.into()));
        assert!(s.suggesting.as_ref().is_some_and(|sg| sg.waiting && sg.asked > first.asked));
        // An answer to an earlier asking is not taken for the latest.
        s.update(&mut st, Msg::Suggested { asked: first.asked, all: Vec::new() });
        assert!(s.suggesting.as_ref().unwrap().waiting);
        answer(&mut s, &mut st);
        // Another set of the same article, without suggestions: none; back, asked again.
        s.update(&mut st, Msg::Do(Action::DuplicateSet { set: "set".into(), id: "copy".into(), name: "Copy".into() }, T.into()));
        assert!(st.workspace.set("copy").unwrap().suggestions, "a duplicate keeps the switch");
        s.update(&mut st, Msg::Do(Action::SetSuggestions { set: "copy".into(), on: false }, T.into()));
        assert!(s.suggesting.is_none());
        s.update(&mut st, Msg::Do(Action::SwitchSet { doc: "doc".into(), set: "set".into() }, T.into()));
        assert!(s.suggesting.as_ref().is_some_and(|sg| sg.set == "set" && sg.waiting));
        answer(&mut s, &mut st);
        // Away to another article and back: asked again; a changed gazetteer asks again too.
        s.update(&mut st, Msg::Open(None));
        assert!(s.suggesting.is_none());
        s.update(&mut st, Msg::Open(Some("doc".into())));
        answer(&mut s, &mut st);
        let asked = s.suggesting.as_ref().unwrap().asked;
        s.update(&mut st, Msg::Resuggest("Cleared the gazetteer.".into()));
        assert!(s.suggesting.as_ref().is_some_and(|sg| sg.waiting && sg.asked > asked));
        assert_eq!(s.notice, Some(Notice::Info("Cleared the gazetteer.".into())));
        answer(&mut s, &mut st);
        assert_eq!(s.notice, Some(Notice::Info("Cleared the gazetteer. 1 suggestion.".into())), "what changed, then the new count");
        s.update(&mut st, Msg::Resuggest(String::new()));
        // A failure says why and is not asked again by itself.
        let asked = s.suggesting.as_ref().unwrap().asked;
        s.update(&mut st, Msg::SuggestFailed { asked, why: "the kept gazetteer no longer reads".into() });
        assert!(s.suggesting.as_ref().is_some_and(|sg| sg.failed && !sg.waiting && sg.open.is_empty()));
        assert_eq!(s.notice, Some(Notice::Problem("Could not work out suggestions: the kept gazetteer no longer reads".into())));
        s.update(&mut st, Msg::Caret(Some((0, 1)), false));
        assert!(!s.suggesting.as_ref().unwrap().waiting);
    }

    #[test]
    fn switching_suggestions_on_an_article_without_a_set_makes_one_in_the_same_step() {
        let (mut s, mut st) = fresh();
        s.update(&mut st, suggest_on(false));
        assert!(st.workspace.sets().is_empty(), "switching off makes nothing");
        s.update(&mut st, Msg::Resuggest("Imported 2 gazetteer entries.".into()));
        assert!(s.suggesting.is_none(), "with suggestions off the worker is not asked");
        assert_eq!(s.notice, Some(Notice::Info("Imported 2 gazetteer entries.".into())));
        s.update(&mut st, suggest_on(true));
        let set = st.workspace.set("n").unwrap();
        assert!(set.suggestions && set.spans().is_empty());
        assert!(s.suggesting.as_ref().is_some_and(|sg| sg.set == "n" && sg.waiting));
        s.update(&mut st, Msg::Do(Action::Undo, T.into()));
        assert!(st.workspace.sets().is_empty() && s.suggesting.is_none(), "one undo takes both back");
    }

    #[test]
    fn an_accepted_quote_is_linked_to_its_suggested_speaker_in_one_undo_step() {
        let mut st = State::new(fixture::workspace("[entity/person:Lavrov] said: “We will talk.” Ana told: “No.” and “Yes,” said Bo."));
        let mut s = Session::default();
        s.update(&mut st, Msg::Open(Some("doc".into())));
        s.update(&mut st, suggest_on(true));
        answer(&mut s, &mut st);
        let quotes = |s: &Session| s.suggesting.as_ref().unwrap().open.iter().filter(|x| &*x.label == "quote").count();
        assert_eq!(quotes(&s), 3);
        let before = st.workspace.set("set").unwrap().clone();
        // All three at once: each one whose speaker is a person span of the set gets its link,
        // with the ids the new spans really got.
        s.update(&mut st, Msg::AcceptAll { source: Source::QuoteCue, at: T.into(), new_set: "n".into() });
        let set = st.workspace.set("set").unwrap();
        let lavrov = set.spans().iter().find(|x| x.range.start() == 0).unwrap().id;
        let quote_at = |start: usize| set.spans().iter().find(|x| x.range.start() == start && x.label == "quote").unwrap().id;
        let links: Vec<(&str, u64, u64)> = set.relations().iter().map(|r| (r.kind.as_str(), r.from, r.to)).collect();
        let first = quote_at(14);
        assert!(links.contains(&("speaker", first, lavrov)), "{links:?}");
        assert_eq!(links.len(), 3, "every quote here names Lavrov, the one person in the set: {links:?}");
        assert_eq!(set.spans().len(), 4);
        // One undo takes the spans and the links back.
        s.update(&mut st, Msg::Do(Action::Undo, T.into()));
        let after = st.workspace.set("set").unwrap();
        assert_eq!((after.spans(), after.relations()), (before.spans(), before.relations()));
    }

    #[test]
    fn a_failed_group_leaves_no_trace() {
        let (_, mut st) = fresh();
        let before = st.clone();
        let create = Action::CreateSet { id: "n".into(), doc: "doc".into(), name: "N".into(), annotator: String::new() };
        let bad = Action::AddSpan { set: "n".into(), start: 5, end: 500, label: "claim".into(), entity_type: None };
        assert!(st.dispatch_all(vec![create, bad], T).is_err());
        assert_eq!(st, before);
        assert!(st.dispatch_all(vec![Action::Undo], T).is_err());
    }

    #[test]
    fn mark_done_toggles_the_active_set_and_makes_one_when_there_is_none() {
        let (mut s, mut st) = fresh();
        s.update(&mut st, Msg::MarkDone { done: true, at: T.into(), new_set: "new".into() });
        assert!(st.workspace.set("new").is_some_and(|set| set.done && set.spans().is_empty()));
        s.update(&mut st, Msg::Do(Action::Undo, T.into()));
        assert!(st.workspace.set("new").is_none(), "the new set and its mark are one step");
        let (mut s, mut st) = tagged();
        s.update(&mut st, Msg::MarkDone { done: true, at: T.into(), new_set: "unused".into() });
        assert!(st.workspace.set("set").unwrap().done);
        s.update(&mut st, Msg::MarkDone { done: false, at: T.into(), new_set: "unused".into() });
        assert!(!st.workspace.set("set").unwrap().done);
        assert!(st.workspace.set("unused").is_none());
        s.update(&mut st, Msg::Filter("kosovo".into()));
        s.update(&mut st, Msg::Sort(SortBy::Date));
        assert_eq!((s.filter.as_str(), s.sort), ("kosovo", SortBy::Date));
    }
}
