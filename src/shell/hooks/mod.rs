//! The shell's hooks: keeping work saved, in step with other tabs, and the keyboard.

pub mod autosave;
pub mod focus_first;
pub mod save_status;
pub mod shortcuts;
pub mod tab_sync;
