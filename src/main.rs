//! Starts Spanwright: the Yew app in the browser, or natively the command-line converter.

#[cfg(target_arch = "wasm32")]
fn main() {
    yew::Renderer::<spanwright::shell::App>::new().render();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() -> std::process::ExitCode {
    spanwright::cli::main()
}
