//! The clock and the source of new ids: the only places the shell reads the time.

/// The time now, ISO 8601, from the browser's clock.
pub fn now() -> String {
    String::from(js_sys::Date::new_0().to_iso_string())
}

/// A new set id from the clock.
pub fn new_set_id() -> String {
    format!("set-{}", js_sys::Date::now() as u64)
}
