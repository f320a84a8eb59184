//! The interface, one component per file.

pub mod add_article;
pub mod adjudication;
pub mod agreement;
pub mod annotation_list;
pub mod app;
pub mod article_list;
pub mod article_view;
pub mod backup_reminder;
pub mod find_bar;
pub mod import_corpus;
pub mod picker_cancel;
pub mod recovery;
pub mod set_bar;
pub mod shortcuts_dialog;
pub mod speaker_picker;
pub mod status_line;
pub mod suggestion_panel;
pub mod toolbar;
pub mod type_picker;
