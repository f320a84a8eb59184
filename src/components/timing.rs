//! User Timing measures for `make bench` and for anyone profiling in the browser's devtools:
//! how long saving, loading, exporting and uploading take, as `spanwright:*` measures.

/// Runs `f`, recording its duration as the measure `name`.
pub fn measure<T>(name: &str, f: impl FnOnce() -> T) -> T {
    let perf = gloo::utils::window().performance();
    let start = format!("{name}:start");
    if let Some(p) = &perf {
        let _ = p.mark(&start);
    }
    let out = f();
    if let Some(p) = &perf {
        let _ = p.measure_with_start_mark(name, &start);
        p.clear_marks_with_mark_name(&start);
    }
    out
}

/// Measures until dropped (temporary profiling).
pub struct Scope(&'static str, f64);

/// Starts a [`Scope`].
pub fn scope(name: &'static str) -> Scope {
    Scope(name, gloo::utils::window().performance().map_or(0.0, |p| p.now()))
}

impl Drop for Scope {
    fn drop(&mut self) {
        if let Some(p) = gloo::utils::window().performance() {
            let _ = js_sys::Reflect::get(&p, &"now".into());
            let opts = js_sys::Object::new();
            let _ = js_sys::Reflect::set(&opts, &"start".into(), &self.1.into());
            let _ = js_sys::Reflect::set(&opts, &"end".into(), &p.now().into());
            let f = js_sys::Reflect::get(&p, &"measure".into()).unwrap();
            let f: &js_sys::Function = wasm_bindgen::JsCast::unchecked_ref(&f);
            let _ = f.call2(&p, &self.0.into(), &opts);
        }
    }
}
