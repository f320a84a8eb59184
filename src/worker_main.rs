//! The formats worker: a second wasm module that does exports and uploads away from the page
//! (see `spanwright::worker`). It only runs in a browser, started by the page.

#[cfg(target_arch = "wasm32")]
fn main() {
    spanwright::worker::start();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() -> std::process::ExitCode {
    eprintln!("formats-worker runs inside the browser, started by the Spanwright page; use `spanwright convert` here");
    std::process::ExitCode::FAILURE
}
