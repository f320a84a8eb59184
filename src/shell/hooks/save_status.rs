//! Whether this page's work is saved: the one place the shell keeps it
//! ([`crate::storage::Saved`]), readable from event listeners without going stale.

use std::{cell::RefCell, rc::Rc};

use yew::prelude::*;

use crate::storage::Saved;

/// A handle on the page's save status. Clones share it; setting it redraws the component
/// that made it.
#[derive(Clone)]
pub struct SaveStatus {
    cell: Rc<RefCell<Saved>>,
    redraw: UseForceUpdateHandle,
}

/// Two handles are equal when they are the same page's status, so callbacks that hold one
/// are made once.
impl PartialEq for SaveStatus {
    fn eq(&self, other: &Self) -> bool {
        std::rc::Rc::ptr_eq(&self.cell, &other.cell)
    }
}

impl SaveStatus {
    /// The status now.
    pub fn get(&self) -> Saved {
        self.cell.borrow().clone()
    }

    /// Sets the status, redrawing when it changed.
    pub fn set(&self, saved: Saved) {
        if *self.cell.borrow() != saved {
            *self.cell.borrow_mut() = saved;
            self.redraw.force_update();
        }
    }
}

/// The page's save status, starting at [`Saved::Yes`].
#[hook]
pub fn use_save_status() -> SaveStatus {
    let cell = use_mut_ref(|| Saved::Yes);
    let redraw = use_force_update();
    SaveStatus { cell, redraw }
}
