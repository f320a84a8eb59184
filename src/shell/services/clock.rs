//! The clock, the source of new ids and the task queue: the only places the shell reads the
//! time or waits for it.

/// The time now, ISO 8601, from the browser's clock.
pub fn now() -> String {
    String::from(js_sys::Date::new_0().to_iso_string())
}

/// A new set id from the clock.
pub fn new_set_id() -> String {
    format!("set-{}", js_sys::Date::now() as u64)
}

/// Resolves in a task of its own (a zero timeout), so long work in parts lets the page draw
/// and answer between them.
pub async fn next_task() {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let _ = gloo::utils::window().set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 0);
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}
