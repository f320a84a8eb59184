//! Starts Spanwright: the Yew app in the browser.

#[cfg(target_arch = "wasm32")]
fn main() {
    yew::Renderer::<spanwright::components::App>::new().render();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("spanwright: the app runs in the browser; build it with `make serve` or `make dist`");
    std::process::exit(2);
}
