//! Every keyboard shortcut, as data: each [`Binding`] is key(s), the context it works in, the
//! [`Command`] it runs and what it does in words. The one table drives key handling (the
//! shell asks [`lookup`]), the `aria-keyshortcuts` attributes ([`aria`]), the "Keyboard
//! shortcuts" dialog and the README's tables (tested equal to [`markdown`]).
//!
//! Label keys come from the workspace's labels ([`keymap`] takes the [`LabelSet`]), so a
//! label or entity type with its own key gets a binding of its own.

use crate::model::{caret::Step, LabelId, LabelSet};

/// Where a key is pressed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Context {
    /// Anywhere in the page but a text field.
    Page,
    /// In the article text (it has the keyboard focus).
    Article,
    /// While the entity type menu is open.
    TypeMenu,
    /// In the find bar's search field.
    FindBar,
    /// On a suggestion in the Suggestions list.
    Suggestions,
    /// In the adjudication view, at a conflict.
    Adjudication,
}

impl Context {
    /// Every context, in the order the dialog and the README list them.
    pub const ALL: [Context; 6] = [Context::Page, Context::TypeMenu, Context::FindBar, Context::Suggestions, Context::Article, Context::Adjudication];

    /// How the dialog and the README name it.
    pub fn title(self) -> &'static str {
        match self {
            Context::Page => "Anywhere",
            Context::Article => "In the article text",
            Context::TypeMenu => "In the entity type menu",
            Context::FindBar => "In the find bar",
            Context::Suggestions => "On a suggestion",
            Context::Adjudication => "While adjudicating",
        }
    }
}

/// What a key does.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Command {
    /// Undo the last edit.
    Undo,
    /// Redo the last undone edit.
    Redo,
    /// Tag the selection with a label (a typed label opens the type menu).
    Label(LabelId),
    /// Tag the range waiting in the type menu as an entity of this type.
    EntityType(LabelId),
    /// Delete the chosen span.
    Delete,
    /// Attribute the chosen quote or claim.
    Attribute,
    /// Close a menu or dialog.
    Cancel,
    /// Open the "Keyboard shortcuts" dialog.
    Help,
    /// Open the find bar (or go back to its search field).
    Find,
    /// Go to the next hit of the find bar.
    FindNext,
    /// Go to the previous hit of the find bar.
    FindPrevious,
    /// Go to the next suggestion (or, with `forward` false, the previous one).
    NextSuggestion {
        /// Forward.
        forward: bool,
    },
    /// Accept the suggestion.
    Accept,
    /// Reject the suggestion.
    Reject,
    /// Open the next article in the list that is not done.
    NextNotDone,
    /// Show the next conflict.
    NextConflict,
    /// Show the previous conflict.
    PreviousConflict,
    /// Take this set's version at the conflict (0 is the first set, key 1).
    TakeVersion(usize),
    /// Reject every version at the conflict.
    RejectAll,
    /// Edit the conflict's span by hand.
    EditConflict,
    /// Undo the last decision.
    UndoDecision,
    /// Move the caret (or, with `extend`, the selection's head) by `step`.
    Caret {
        /// How far.
        step: Step,
        /// Forward (right, down) or back.
        forward: bool,
        /// Extend the selection rather than move the caret.
        extend: bool,
    },
}

/// A key press: the key's name as `KeyboardEvent.key` gives it, and the modifiers
/// (Meta counts as Control, Alt as Control for word steps, as on macOS).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Press {
    /// `KeyboardEvent.key`: "z", "Z", "ArrowLeft", "Escape", "?".
    pub key: String,
    /// Control or Meta.
    pub ctrl: bool,
    /// Shift.
    pub shift: bool,
    /// Alt (Option).
    pub alt: bool,
}

impl Press {
    /// A press of `key` with no modifiers.
    pub fn key(key: &str) -> Press {
        Press { key: key.to_owned(), ..Press::default() }
    }

    /// The same press with Control.
    pub fn ctrl(mut self) -> Press {
        self.ctrl = true;
        self
    }

    /// The same press with Shift.
    pub fn shift(mut self) -> Press {
        self.shift = true;
        self
    }

    /// The same press with Alt.
    pub fn alt(mut self) -> Press {
        self.alt = true;
        self
    }
}

/// One shortcut.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Binding {
    /// The keys, in `aria-keyshortcuts` syntax ("Control+Z", "Shift+ArrowLeft", "c").
    pub keys: Vec<String>,
    /// Where it works.
    pub context: Context,
    /// What it runs.
    pub command: Command,
    /// What it does, in words.
    pub description: String,
}

fn bind(keys: &[&str], context: Context, command: Command, description: impl Into<String>) -> Binding {
    Binding { keys: keys.iter().map(|k| (*k).to_owned()).collect(), context, command, description: description.into() }
}

fn caret(step: Step, forward: bool, extend: bool) -> Command {
    Command::Caret { step, forward, extend }
}

/// Every shortcut, for a workspace with these labels, in the order the dialog lists them.
pub fn keymap(labels: &LabelSet) -> Vec<Binding> {
    use Context::*;
    let mut map = Vec::new();
    for l in &labels.labels {
        if let Some(k) = l.key {
            let what = if l.typed { format!("tag the selection as {} (opens the type menu)", l.name) } else { format!("tag the selection as {}", l.name) };
            map.push(bind(&[&k.to_string()], Page, Command::Label(l.id.clone()), what));
        }
    }
    map.push(bind(&["a"], Page, Command::Attribute, "attribute the chosen quote (speaker) or claim (claimant) to an entity"));
    map.push(bind(&["Delete", "Backspace"], Page, Command::Delete, "delete the chosen span"));
    map.push(bind(&["Control+Z"], Page, Command::Undo, "undo"));
    map.push(bind(&["Control+Shift+Z", "Control+Y"], Page, Command::Redo, "redo"));
    map.push(bind(&["Escape"], Page, Command::Cancel, "close a menu or the shortcuts dialog"));
    map.push(bind(&["n"], Page, Command::NextNotDone, "open the next article in the list that is not done"));
    map.push(bind(&["?"], Page, Command::Help, "show these shortcuts"));
    map.push(bind(&["Control+F", "/"], Page, Command::Find, "find in the article"));
    for t in &labels.entity_types {
        if let Some(k) = t.key {
            map.push(bind(&[&k.to_string()], TypeMenu, Command::EntityType(t.id.clone()), format!("tag as {}", t.name)));
        }
    }
    map.push(bind(&["Escape"], TypeMenu, Command::Cancel, "close the menu without tagging"));
    map.push(bind(&["Enter"], FindBar, Command::FindNext, "go to the next hit"));
    map.push(bind(&["Shift+Enter"], FindBar, Command::FindPrevious, "go to the previous hit"));
    map.push(bind(&["Escape"], FindBar, Command::Cancel, "close the find bar"));
    map.push(bind(&["Tab"], Suggestions, Command::NextSuggestion { forward: true }, "go to the next suggestion"));
    map.push(bind(&["Shift+Tab"], Suggestions, Command::NextSuggestion { forward: false }, "go to the previous suggestion"));
    map.push(bind(&["Enter"], Suggestions, Command::Accept, "accept the suggestion (tag it, noting what suggested it)"));
    map.push(bind(&["Backspace", "Delete"], Suggestions, Command::Reject, "reject the suggestion (not suggested in this set again)"));
    map.push(bind(&["n"], Adjudication, Command::NextConflict, "next conflict"));
    map.push(bind(&["p"], Adjudication, Command::PreviousConflict, "previous conflict"));
    map.push(bind(&["1", "2", "3", "4", "5", "6", "7", "8", "9"], Adjudication, Command::TakeVersion(0), "take the version of the set with that number"));
    map.push(bind(&["x"], Adjudication, Command::RejectAll, "reject every version"));
    map.push(bind(&["e"], Adjudication, Command::EditConflict, "edit the span by hand"));
    map.push(bind(&["u", "Control+Z"], Adjudication, Command::UndoDecision, "undo the last decision"));
    map.push(bind(&["Escape"], Adjudication, Command::Cancel, "leave the adjudication (decisions are kept)"));
    map.push(bind(
        &["ArrowLeft", "ArrowRight"],
        Article,
        caret(Step::Cluster, true, false),
        "move the caret one character (a whole emoji, flag or CRLF is one)",
    ));
    map.push(bind(&["Control+ArrowLeft", "Control+ArrowRight"], Article, caret(Step::Word, true, false), "move word by word"));
    map.push(bind(&["Home", "End"], Article, caret(Step::Paragraph, true, false), "go to the start / end of the paragraph"));
    map.push(bind(
        &[
            "Shift+ArrowLeft",
            "Shift+ArrowRight",
            "Control+Shift+ArrowLeft",
            "Control+Shift+ArrowRight",
            "Shift+Home",
            "Shift+End",
            "Shift+ArrowUp",
            "Shift+ArrowDown",
        ],
        Article,
        caret(Step::Cluster, true, true),
        "extend the selection (by character, word or paragraph)",
    ));
    map
}

/// The command `press` runs in `context`, if any. A label's key matches exactly (with Caps
/// Lock on, "C" is not "c"); Control shortcuts take "z" and "Z" alike. Runs on
/// every key press, so it reads the labels and the fixed keys directly rather than building
/// the table (which [`keymap`] does for people, and a test checks the two agree).
pub fn lookup(labels: &LabelSet, context: Context, press: &Press) -> Option<Command> {
    let key = press.key.as_str();
    let single = |k: Option<char>| k.is_some_and(|k| key.len() == k.len_utf8() && key.starts_with(k));
    match context {
        Context::Article => article(press),
        Context::FindBar if press.ctrl || press.alt => None,
        Context::FindBar => match key {
            "Enter" if press.shift => Some(Command::FindPrevious),
            "Enter" => Some(Command::FindNext),
            "Escape" => Some(Command::Cancel),
            _ => None,
        },
        Context::Suggestions if press.ctrl || press.alt => None,
        Context::Suggestions => match key {
            "Tab" => Some(Command::NextSuggestion { forward: !press.shift }),
            "Enter" => Some(Command::Accept),
            "Backspace" | "Delete" => Some(Command::Reject),
            _ => None,
        },
        // Control+Shift+Z is redo everywhere else, so it is not undo here.
        Context::Adjudication if press.ctrl => (matches!(key, "z" | "Z") && !press.shift).then_some(Command::UndoDecision),
        Context::Adjudication if press.alt => None,
        Context::Adjudication => match key {
            "n" => Some(Command::NextConflict),
            "p" => Some(Command::PreviousConflict),
            "x" => Some(Command::RejectAll),
            "e" => Some(Command::EditConflict),
            "u" => Some(Command::UndoDecision),
            "Escape" => Some(Command::Cancel),
            digit => digit.parse::<usize>().ok().filter(|d| (1..=9).contains(d)).map(|d| Command::TakeVersion(d - 1)),
        },
        Context::TypeMenu if press.ctrl || press.alt => None,
        Context::TypeMenu => match key {
            "Escape" => Some(Command::Cancel),
            _ => labels.entity_types.iter().find(|t| single(t.key)).map(|t| Command::EntityType(t.id.clone())),
        },
        Context::Page if press.ctrl => match key {
            "z" | "Z" if press.shift => Some(Command::Redo),
            "z" | "Z" => Some(Command::Undo),
            "y" | "Y" => Some(Command::Redo),
            "f" | "F" => Some(Command::Find),
            _ => None,
        },
        Context::Page if press.alt => None,
        // A label's own key comes first, as in the table.
        Context::Page => labels.labels.iter().find(|l| single(l.key)).map(|l| Command::Label(l.id.clone())).or(match key {
            "a" => Some(Command::Attribute),
            "Delete" | "Backspace" => Some(Command::Delete),
            "Escape" => Some(Command::Cancel),
            "n" => Some(Command::NextNotDone),
            // "?" is Shift+/ on most layouts: the key is "?" whatever Shift says.
            "?" => Some(Command::Help),
            "/" => Some(Command::Find),
            _ => None,
        }),
    }
}

/// The caret keys: arrows by character (grapheme cluster), Control or Alt with them by word,
/// Home and End by paragraph, Shift+Up and Shift+Down by paragraph; Shift extends. Plain Up
/// and Down are left to the browser, which scrolls.
fn article(press: &Press) -> Option<Command> {
    let (step, forward) = match press.key.as_str() {
        "ArrowRight" => (Step::Cluster, true),
        "ArrowLeft" => (Step::Cluster, false),
        "Home" => (Step::Paragraph, false),
        "End" => (Step::Paragraph, true),
        "ArrowUp" if press.shift => (Step::Paragraph, false),
        "ArrowDown" if press.shift => (Step::Paragraph, true),
        _ => return None,
    };
    let step = if (press.ctrl || press.alt) && step == Step::Cluster { Step::Word } else { step };
    Some(Command::Caret { step, forward, extend: press.shift })
}

/// The `aria-keyshortcuts` value of the first binding of `command` in `context`, from a
/// table [`keymap`] built (once per render, not once per button).
pub fn aria(map: &[Binding], context: Context, command: &Command) -> Option<String> {
    map.iter().find(|b| b.context == context && b.command == *command).map(|b| b.keys.join(" "))
}

/// How a key is written for people: "Ctrl+Shift+Z", "←", "Delete".
pub fn display(key: &str) -> String {
    key.split('+')
        .map(|part| match part {
            "Control" => "Ctrl",
            "ArrowLeft" => "←",
            "ArrowRight" => "→",
            "ArrowUp" => "↑",
            "ArrowDown" => "↓",
            other => other,
        })
        .collect::<Vec<_>>()
        .join("+")
}

/// The shortcuts as Markdown tables, one per context: what the README shows (a test keeps the
/// two equal) for the default labels.
pub fn markdown(labels: &LabelSet) -> String {
    let map = keymap(labels);
    let mut out = String::new();
    for context in Context::ALL {
        out.push_str(&format!("{}:\n\n| key | what it does |\n| --- | --- |\n", context.title()));
        for b in map.iter().filter(|b| b.context == context) {
            let keys: Vec<String> = b.keys.iter().map(|k| format!("`{}`", display(k))).collect();
            out.push_str(&format!("| {} | {} |\n", keys.join(" "), b.description));
        }
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(press: Press) -> Option<Command> {
        lookup(&LabelSet::default(), Context::Page, &press)
    }

    #[test]
    fn keys_in_context_run_their_commands() {
        use Command::*;
        let labels = LabelSet::default();
        let cases: Vec<(Context, Press, Option<Command>)> = vec![
            (Context::Page, Press::key("c"), Some(Label("claim".into()))),
            (Context::Page, Press::key("q"), Some(Label("quote".into()))),
            (Context::Page, Press::key("e"), Some(Label("entity".into()))),
            (Context::Page, Press::key("C"), None),
            (Context::Page, Press::key("p"), None),
            (Context::Page, Press::key("a"), Some(Attribute)),
            (Context::Page, Press::key("Delete"), Some(Delete)),
            (Context::Page, Press::key("Backspace"), Some(Delete)),
            (Context::Page, Press::key("z").ctrl(), Some(Undo)),
            (Context::Page, Press::key("Z").ctrl().shift(), Some(Redo)),
            (Context::Page, Press::key("y").ctrl(), Some(Redo)),
            (Context::Page, Press::key("c").ctrl(), None),
            (Context::Page, Press::key("c").alt(), None),
            (Context::Page, Press::key("Escape"), Some(Cancel)),
            (Context::Page, Press::key("?").shift(), Some(Help)),
            (Context::Page, Press::key("f").ctrl(), Some(Find)),
            (Context::Page, Press::key("/"), Some(Find)),
            (Context::Page, Press::key("f"), None),
            (Context::FindBar, Press::key("Enter"), Some(FindNext)),
            (Context::FindBar, Press::key("Enter").shift(), Some(FindPrevious)),
            (Context::FindBar, Press::key("Escape"), Some(Cancel)),
            (Context::FindBar, Press::key("c"), None),
            (Context::Suggestions, Press::key("Tab"), Some(NextSuggestion { forward: true })),
            (Context::Suggestions, Press::key("Tab").shift(), Some(NextSuggestion { forward: false })),
            (Context::Suggestions, Press::key("Enter"), Some(Accept)),
            (Context::Suggestions, Press::key("Backspace"), Some(Reject)),
            (Context::Suggestions, Press::key("c"), None),
            (Context::FindBar, Press::key("Enter").ctrl(), None),
            (Context::TypeMenu, Press::key("p"), Some(EntityType("person".into()))),
            (Context::TypeMenu, Press::key("o"), Some(EntityType("organisation".into()))),
            (Context::TypeMenu, Press::key("l"), Some(EntityType("location".into()))),
            (Context::TypeMenu, Press::key("c"), None),
            (Context::TypeMenu, Press::key("Escape"), Some(Cancel)),
            (Context::Article, Press::key("ArrowRight"), Some(caret(Step::Cluster, true, false))),
            (Context::Article, Press::key("ArrowLeft").shift(), Some(caret(Step::Cluster, false, true))),
            (Context::Article, Press::key("ArrowLeft").ctrl(), Some(caret(Step::Word, false, false))),
            (Context::Article, Press::key("ArrowRight").alt().shift(), Some(caret(Step::Word, true, true))),
            (Context::Article, Press::key("Home"), Some(caret(Step::Paragraph, false, false))),
            (Context::Article, Press::key("End").shift(), Some(caret(Step::Paragraph, true, true))),
            (Context::Article, Press::key("ArrowDown"), None),
            (Context::Article, Press::key("ArrowDown").shift(), Some(caret(Step::Paragraph, true, true))),
            (Context::Article, Press::key("c"), None),
            (Context::Adjudication, Press::key("n"), Some(NextConflict)),
            (Context::Adjudication, Press::key("p"), Some(PreviousConflict)),
            (Context::Adjudication, Press::key("1"), Some(TakeVersion(0))),
            (Context::Adjudication, Press::key("9"), Some(TakeVersion(8))),
            (Context::Adjudication, Press::key("0"), None),
            (Context::Adjudication, Press::key("x"), Some(RejectAll)),
            (Context::Adjudication, Press::key("z").ctrl(), Some(UndoDecision)),
            (Context::Adjudication, Press::key("Z").ctrl().shift(), None),
            (Context::Adjudication, Press::key("u"), Some(UndoDecision)),
            (Context::Adjudication, Press::key("c"), None),
        ];
        for (context, press, want) in cases {
            assert_eq!(lookup(&labels, context, &press), want, "{context:?} {press:?}");
        }
    }

    #[test]
    fn a_label_with_a_key_of_its_own_gets_a_binding() {
        let mut labels = LabelSet::default();
        labels.labels[0].key = Some('x');
        labels.labels[0].name = "Assertion".into();
        assert_eq!(lookup(&labels, Context::Page, &Press::key("x")), Some(Command::Label("claim".into())));
        assert_eq!(lookup(&labels, Context::Page, &Press::key("c")), None);
        assert!(keymap(&labels).iter().any(|b| b.description == "tag the selection as Assertion"));
        assert_eq!(page(Press::key("x")), None, "not with the default labels");
    }

    #[test]
    fn aria_attributes_come_from_the_table() {
        let labels = keymap(&LabelSet::default());
        assert_eq!(aria(&labels, Context::Page, &Command::Undo).as_deref(), Some("Control+Z"));
        assert_eq!(aria(&labels, Context::Page, &Command::Redo).as_deref(), Some("Control+Shift+Z Control+Y"));
        assert_eq!(aria(&labels, Context::Page, &Command::Label("entity".into())).as_deref(), Some("e"));
        assert_eq!(aria(&labels, Context::TypeMenu, &Command::EntityType("person".into())).as_deref(), Some("p"));
        assert_eq!(aria(&labels, Context::Page, &Command::Help).as_deref(), Some("?"));
    }

    #[test]
    fn every_binding_is_found_by_its_own_keys() {
        let labels = LabelSet::default();
        for b in keymap(&labels) {
            for k in &b.keys {
                let mut press = Press::default();
                for part in k.split('+') {
                    match part {
                        "Control" => press.ctrl = true,
                        "Shift" => press.shift = true,
                        key => press.key = key.to_owned(),
                    }
                }
                let got = lookup(&labels, b.context, &press).unwrap_or_else(|| panic!("{k} in {:?} finds nothing", b.context));
                match (&got, &b.command) {
                    // One binding stands for a family of caret moves; its keys each move some way.
                    (Command::Caret { extend: a, .. }, Command::Caret { extend: e, .. }) => assert_eq!(a, e, "{k}"),
                    // So does one for the sets' versions: key 3 takes the third set's.
                    (Command::TakeVersion(i), Command::TakeVersion(_)) => assert_eq!(i + 1, k.parse::<usize>().unwrap(), "{k}"),
                    _ => assert_eq!(got, b.command, "{k}"),
                }
            }
        }
    }

    #[test]
    fn the_readme_tables_are_the_keymap() {
        let readme = std::fs::read_to_string(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
        let tables = readme.split("<!-- keymap -->\n").nth(1).and_then(|r| r.split("<!-- /keymap -->").next()).expect("README has the keymap block");
        assert_eq!(tables, markdown(&LabelSet::default()), "README's shortcut tables differ from src/keymap.rs: paste markdown() into the README");
    }
}
