//! The interface's session: what the screen shows beside the annotations (the article on
//! screen, the selection and caret, the chosen span, the open pickers, the status line) and
//! how each thing the user does changes it and the [`State`].
//!
//! Pure, like the reducer: no clock, no storage, no browser. The shell passes the time and
//! any new ids in, and its Yew store is a thin adapter over [`Session::update`]. Every change
//! to annotations goes through [`State::dispatch`] or [`State::dispatch_all`], so it is
//! undoable; the session only decides which actions a message means.

use super::{merge::Merge, Action, ActionError, State};
use crate::listing::SortBy;
use crate::model::{
    offsets::{clean_selection, CleanOptions},
    AnnotationSet, CharRange, DocId, LabelId, SetId, SpanId, Workspace,
};

/// A line for the status area: information or a problem.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Notice {
    /// Something went as asked.
    Info(String),
    /// Something went wrong; the message says what and where.
    Problem(String),
}

/// What the interface shows besides the annotations.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Session {
    /// Bumped on every change to the workspace, so effects and props compare cheaply.
    pub revision: u64,
    /// The revision at which the workspace was taken from another tab's save: there is
    /// nothing to save for it.
    pub adopted: u64,
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
    /// Show a message.
    Notice(Notice),
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

    /// Applies `msg` to the session and, through the reducer, to `state`.
    pub fn update(&mut self, state: &mut State, msg: Msg) {
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
                self.revision += 1;
                self.adopted = self.revision;
                if self.focused_gone(state) {
                    self.focused = None;
                }
                self.picking = None;
                self.attributing = None;
                self.notice = Some(Notice::Info(message));
            }
            Msg::Notice(n) => self.notice = Some(n),
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
        self.outcome(state.dispatch(action, at)).flatten()
    }

    fn dispatch_all(&mut self, state: &mut State, actions: Vec<Action>, at: &str) -> Option<Vec<Option<u64>>> {
        self.outcome(state.dispatch_all(actions, at))
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
        fixture,
        model::{Label, LabelSet},
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
                    assert!(st.can_undo() && problem(s).is_none(), "showing a set is not an edit");
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
