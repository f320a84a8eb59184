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

/// A measure started now and recorded when [`Started::end`] is called: for work that ends in
/// a callback, such as a job in the formats worker.
pub struct Started(String);

/// Starts the measure `name`.
pub fn start(name: String) -> Started {
    if let Some(p) = gloo::utils::window().performance() {
        let _ = p.mark(&format!("{name}:start"));
    }
    Started(name)
}

impl Started {
    /// Records the measure.
    pub fn end(self) {
        if let Some(p) = gloo::utils::window().performance() {
            let start = format!("{}:start", self.0);
            let _ = p.measure_with_start_mark(&self.0, &start);
            p.clear_marks_with_mark_name(&start);
        }
    }
}

/// Records a measure `name` of `duration` milliseconds, ending now: for time spent elsewhere
/// (in the formats worker), so it lies beside the page's own measures.
pub fn record(name: &str, duration: f64) {
    use wasm_bindgen::JsCast;
    let Some(p) = gloo::utils::window().performance() else { return };
    let end = p.now();
    // performance.measure(name, { start, end }): web-sys binds that form only as unstable.
    let options = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&options, &"start".into(), &(end - duration).into());
    let _ = js_sys::Reflect::set(&options, &"end".into(), &end.into());
    if let Ok(measure) = js_sys::Reflect::get(&p, &"measure".into()).and_then(|f| f.dyn_into::<js_sys::Function>()) {
        let _ = measure.call2(&p, &name.into(), &options);
    }
}
