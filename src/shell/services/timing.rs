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
