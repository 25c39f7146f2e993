//! Interning of destination names into dense [`DestId`]s.

use std::borrow::Cow;
use std::collections::HashMap;

use crate::{DestId, SchedulerError, MAX_DESTS};

/// Maps destination names (domains or MX-site keys) to compact ids and back.
///
/// Names are compared case-insensitively and without a trailing root dot, as DNS does, so
/// `Example.COM.` and `example.com` share one queue. Ids are handed out densely from 0 and never
/// reused, which lets the scheduler keep per-destination state in a vector.
#[derive(Debug, Default, Clone)]
pub struct DestTable {
    by_name: HashMap<Box<str>, DestId>,
    names: Vec<Box<str>>,
}

fn normalize(name: &str) -> Cow<'_, str> {
    let name = name.strip_suffix('.').unwrap_or(name);
    if name.bytes().any(|b| b.is_ascii_uppercase()) {
        Cow::Owned(name.to_ascii_lowercase())
    } else {
        Cow::Borrowed(name)
    }
}

impl DestTable {
    /// An empty table.
    pub fn new() -> Self {
        Self::default()
    }

    /// The id of `name`, allocating one on first sight.
    pub fn intern(&mut self, name: &str) -> Result<DestId, SchedulerError> {
        let key = normalize(name);
        if let Some(&id) = self.by_name.get(key.as_ref()) {
            return Ok(id);
        }
        let next = u32::try_from(self.names.len())
            .ok()
            .filter(|&n| n < MAX_DESTS)
            .ok_or(SchedulerError::DestOutOfRange(MAX_DESTS))?;
        let id = DestId(next);
        let boxed: Box<str> = key.into_owned().into_boxed_str();
        self.names.push(boxed.clone());
        self.by_name.insert(boxed, id);
        Ok(id)
    }

    /// The id of `name` if it was interned (lookups must not grow the table).
    pub fn get(&self, name: &str) -> Option<DestId> {
        self.by_name.get(normalize(name).as_ref()).copied()
    }

    /// The normalised name of `id`, for logs and stats.
    pub fn name(&self, id: DestId) -> Option<&str> {
        self.names.get(id.0 as usize).map(|s| s.as_ref())
    }

    /// Destinations interned.
    pub fn len(&self) -> usize {
        self.names.len()
    }

    /// Whether no destination was interned.
    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn case_and_root_dot_insensitive() {
        let mut t = DestTable::new();
        let a = t.intern("Example.COM.").unwrap();
        let b = t.intern("example.com").unwrap();
        let c = t.intern("mx.other.net").unwrap();
        assert_eq!(a, b);
        assert_eq!((a, c), (DestId(0), DestId(1)));
        assert_eq!(t.name(a), Some("example.com"));
        assert_eq!(t.get("EXAMPLE.com"), Some(a));
        assert_eq!(t.get("nowhere"), None);
        assert_eq!(t.len(), 2);
    }
}
