//! A key-value store of strings, as `localStorage` is, and an in-memory twin for tests.

use std::{cell::RefCell, collections::BTreeMap, rc::Rc};

/// Why storage refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum StorageError {
    /// There is no storage to use (disabled by the browser, private mode, site settings).
    #[error("browser storage is disabled (private mode or site settings)")]
    Unavailable,
    /// The quota is used up.
    #[error("browser storage is full")]
    Full,
    /// The browser refused for another reason, named.
    #[error("the browser refused to store it ({0})")]
    Refused(String),
}

/// Strings under string keys.
pub trait Backend {
    /// The value under `key`, if any.
    fn get(&self, key: &str) -> Result<Option<String>, StorageError>;
    /// Stores `value` under `key`.
    fn set(&self, key: &str, value: &str) -> Result<(), StorageError>;
    /// Removes `key` (no error when it is absent).
    fn remove(&self, key: &str) -> Result<(), StorageError>;
    /// Every key.
    fn keys(&self) -> Result<Vec<String>, StorageError>;
}

/// An in-memory [`Backend`] with an optional quota in bytes (keys and values, as UTF-16
/// units count in browsers, approximated by bytes). Clones share the same store, as two
/// tabs share one origin's storage.
#[derive(Clone, Debug, Default)]
pub struct MemoryBackend {
    map: Rc<RefCell<BTreeMap<String, String>>>,
    quota: Option<usize>,
    disabled: bool,
}

impl MemoryBackend {
    /// An empty store without a quota.
    pub fn new() -> Self {
        MemoryBackend::default()
    }

    /// An empty store that refuses writes past `bytes` in all.
    pub fn with_quota(bytes: usize) -> Self {
        MemoryBackend { quota: Some(bytes), ..MemoryBackend::default() }
    }

    /// A store that refuses everything, as a browser with storage disabled does.
    pub fn disabled() -> Self {
        MemoryBackend { disabled: true, ..MemoryBackend::default() }
    }

    fn check(&self) -> Result<(), StorageError> {
        if self.disabled {
            Err(StorageError::Unavailable)
        } else {
            Ok(())
        }
    }
}

impl Backend for MemoryBackend {
    fn get(&self, key: &str) -> Result<Option<String>, StorageError> {
        self.check()?;
        Ok(self.map.borrow().get(key).cloned())
    }

    fn set(&self, key: &str, value: &str) -> Result<(), StorageError> {
        self.check()?;
        let mut map = self.map.borrow_mut();
        if let Some(quota) = self.quota {
            let others: usize = map.iter().filter(|(k, _)| *k != key).map(|(k, v)| k.len() + v.len()).sum();
            if others + key.len() + value.len() > quota {
                return Err(StorageError::Full);
            }
        }
        map.insert(key.to_owned(), value.to_owned());
        Ok(())
    }

    fn remove(&self, key: &str) -> Result<(), StorageError> {
        self.check()?;
        self.map.borrow_mut().remove(key);
        Ok(())
    }

    fn keys(&self) -> Result<Vec<String>, StorageError> {
        self.check()?;
        Ok(self.map.borrow().keys().cloned().collect())
    }
}
