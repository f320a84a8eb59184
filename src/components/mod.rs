//! The Yew user interface: thin components over the pure core, one per file.

mod add_article;
mod annotation_list;
mod app;
mod article_list;
mod article_view;
mod files;
mod formats_worker;
mod persist;
mod recovery;
mod sets;
mod store;
mod timing;
mod toolbar;

pub use app::App;
