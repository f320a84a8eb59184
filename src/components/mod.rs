//! The Yew user interface: thin components over the pure core, one per file.

mod annotation_list;
mod app;
mod add_article;
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
