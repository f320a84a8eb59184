//! Starts Spanwright: the Yew app in the browser, or natively the command-line converter.

#[cfg(target_arch = "wasm32")]
fn main() {
    use spanwright::shell::{App, AppProps, Start};
    // Storage is read first (IndexedDB answers asynchronously), then the app draws once.
    yew::platform::spawn_local(async {
        let start = spanwright::shell::services::storage::start().await;
        let props = AppProps { start: Start(std::rc::Rc::new(std::cell::RefCell::new(Some(start)))) };
        yew::Renderer::<App>::with_props(props).render();
    });
}

#[cfg(not(target_arch = "wasm32"))]
fn main() -> std::process::ExitCode {
    spanwright::cli::main()
}
