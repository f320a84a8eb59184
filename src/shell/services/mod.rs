//! What the shell asks of the browser, each behind a small API: storage, files, the formats
//! worker, the clock, timing.

pub mod clock;
pub mod files;
pub mod idb;
pub mod storage;
pub mod timing;
pub mod worker;
