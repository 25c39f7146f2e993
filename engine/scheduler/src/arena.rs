//! The slab that stores every scheduled entry exactly once.
//!
//! The timer wheel and the ready queues are both intrusive doubly linked lists threaded through
//! this slab, so moving an entry from "deferred" to "ready" is a relink (no copy, no allocation,
//! no second hash lookup) and cancelling is O(1) without tombstones. Entries are addressed by a
//! `u32` handle; the id index maps delivery ids to handles for the by-id operations.

use std::mem::size_of;

use crate::index::IdIndex;
use crate::{EntryState, Priority, SchedulerError};

/// The "no node" link value; also the one handle value that is never allocated.
pub(crate) const NIL: u32 = u32::MAX;

/// One scheduled entry plus its list links (32 bytes when the payload is `()`).
#[derive(Debug)]
pub(crate) struct Node<T> {
    pub(crate) id: u64,
    /// Not-before time; for ready entries the time it became attemptable (never in the future).
    pub(crate) due_ms: u64,
    pub(crate) prev: u32,
    pub(crate) next: u32,
    pub(crate) dest: u32,
    pub(crate) class: Priority,
    pub(crate) state: EntryState,
    /// `None` marks a free slot; `next` then links the free list.
    pub(crate) payload: Option<T>,
}

/// What [`Arena::remove`] hands back.
#[derive(Debug)]
pub(crate) struct Taken<T> {
    pub(crate) id: u64,
    pub(crate) due_ms: u64,
    pub(crate) dest: u32,
    pub(crate) class: Priority,
    pub(crate) payload: T,
}

/// Head and tail of an intrusive list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct List {
    pub(crate) head: u32,
    pub(crate) tail: u32,
}

impl List {
    pub(crate) const EMPTY: List = List {
        head: NIL,
        tail: NIL,
    };

    pub(crate) fn is_empty(&self) -> bool {
        self.head == NIL
    }
}

impl Default for List {
    fn default() -> Self {
        List::EMPTY
    }
}

/// Slab of nodes with a free list and an id index.
#[derive(Debug)]
pub(crate) struct Arena<T> {
    nodes: Vec<Node<T>>,
    free: u32,
    index: IdIndex,
}

impl<T> Default for Arena<T> {
    fn default() -> Self {
        Arena {
            nodes: Vec::new(),
            free: NIL,
            index: IdIndex::default(),
        }
    }
}

impl<T> Arena<T> {
    /// Stores a new entry, unlinked. Fails on a duplicate id or a full slab.
    pub(crate) fn insert(
        &mut self,
        id: u64,
        due_ms: u64,
        dest: u32,
        class: Priority,
        state: EntryState,
        payload: T,
    ) -> Result<u32, SchedulerError> {
        if self.handle(id).is_some() {
            return Err(SchedulerError::DuplicateId(id));
        }
        let node = Node {
            id,
            due_ms,
            prev: NIL,
            next: NIL,
            dest,
            class,
            state,
            payload: Some(payload),
        };
        let h = if self.free != NIL {
            let h = self.free;
            let slot = &mut self.nodes[h as usize];
            self.free = slot.next;
            *slot = node;
            h
        } else {
            let h = u32::try_from(self.nodes.len())
                .ok()
                .filter(|&h| h != NIL)
                .ok_or(SchedulerError::Full(NIL as usize))?;
            self.nodes.push(node);
            h
        };
        self.index.insert_new(id, h);
        Ok(h)
    }

    /// Frees an (already unlinked) node and returns its contents.
    pub(crate) fn remove(&mut self, h: u32) -> Option<Taken<T>> {
        let node = self.nodes.get_mut(h as usize)?;
        let payload = node.payload.take()?;
        node.prev = NIL;
        node.next = self.free;
        self.free = h;
        let id = node.id;
        let nodes = &self.nodes;
        self.index.remove(id, |h| nodes[h as usize].id);
        let node = &self.nodes[h as usize];
        Some(Taken {
            id,
            due_ms: node.due_ms,
            dest: node.dest,
            class: node.class,
            payload,
        })
    }

    /// The handle of a live entry.
    pub(crate) fn handle(&self, id: u64) -> Option<u32> {
        self.index.get(id, |h| self.nodes[h as usize].id)
    }

    pub(crate) fn node(&self, h: u32) -> &Node<T> {
        &self.nodes[h as usize]
    }

    pub(crate) fn node_mut(&mut self, h: u32) -> &mut Node<T> {
        &mut self.nodes[h as usize]
    }

    /// Number of slots (live or free): the bound for a linear scan by handle.
    pub(crate) fn slots(&self) -> u32 {
        // The slab never grows past NIL entries (see `insert`).
        self.nodes.len() as u32
    }

    /// Whether `h` holds a live entry.
    pub(crate) fn is_live(&self, h: u32) -> bool {
        self.nodes
            .get(h as usize)
            .is_some_and(|n| n.payload.is_some())
    }

    /// Live entries.
    pub(crate) fn len(&self) -> usize {
        self.index.len()
    }

    /// Bytes held by the slab and the index (capacity, not just length).
    pub(crate) fn memory_bytes(&self) -> (usize, usize) {
        let nodes = self.nodes.capacity() * size_of::<Node<T>>();
        let index = self.index.memory_bytes();
        (nodes, index)
    }

    /// Appends `h` to `list`.
    pub(crate) fn push_back(&mut self, list: &mut List, h: u32) {
        let tail = list.tail;
        let node = &mut self.nodes[h as usize];
        node.prev = tail;
        node.next = NIL;
        if tail == NIL {
            list.head = h;
        } else {
            self.nodes[tail as usize].next = h;
        }
        list.tail = h;
    }

    /// Removes `h` from `list`, which must be the list holding it.
    pub(crate) fn unlink(&mut self, list: &mut List, h: u32) {
        let node = &mut self.nodes[h as usize];
        let (prev, next) = (node.prev, node.next);
        node.prev = NIL;
        node.next = NIL;
        debug_assert!(
            prev != NIL || list.head == h,
            "node {h} is not in this list"
        );
        if prev == NIL {
            list.head = next;
        } else {
            self.nodes[prev as usize].next = next;
        }
        if next == NIL {
            list.tail = prev;
        } else {
            self.nodes[next as usize].prev = prev;
        }
    }

    /// Removes and returns the first node of `list`.
    pub(crate) fn pop_front(&mut self, list: &mut List) -> Option<u32> {
        let h = list.head;
        if h == NIL {
            return None;
        }
        self.unlink(list, h);
        Some(h)
    }

    /// Clears the links of a node taken out of a detached chain.
    pub(crate) fn clear_links(&mut self, h: u32) {
        let node = &mut self.nodes[h as usize];
        node.prev = NIL;
        node.next = NIL;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn node_is_small() {
        assert_eq!(size_of::<Node<()>>(), 32);
    }

    #[test]
    fn slots_are_reused_and_ids_unique() {
        let mut a: Arena<u8> = Arena::default();
        let h1 = a
            .insert(7, 0, 0, Priority::High, EntryState::Ready, 1)
            .unwrap();
        assert_eq!(
            a.insert(7, 0, 0, Priority::High, EntryState::Ready, 1),
            Err(SchedulerError::DuplicateId(7))
        );
        let t = a.remove(h1).unwrap();
        assert_eq!((t.id, t.payload), (7, 1));
        assert!(a.remove(h1).is_none());
        let h2 = a
            .insert(8, 0, 0, Priority::Low, EntryState::Ready, 2)
            .unwrap();
        assert_eq!(h1, h2);
        assert_eq!(a.handle(8), Some(h2));
        assert_eq!(a.handle(7), None);
        assert_eq!(a.len(), 1);
    }

    #[test]
    fn list_operations() {
        let mut a: Arena<()> = Arena::default();
        let hs: Vec<u32> = (0..4)
            .map(|i| {
                a.insert(i, 0, 0, Priority::Normal, EntryState::Ready, ())
                    .unwrap()
            })
            .collect();
        let mut l = List::EMPTY;
        for &h in &hs {
            a.push_back(&mut l, h);
        }
        a.unlink(&mut l, hs[2]);
        a.unlink(&mut l, hs[0]);
        assert_eq!(a.pop_front(&mut l), Some(hs[1]));
        assert_eq!(a.pop_front(&mut l), Some(hs[3]));
        assert_eq!(a.pop_front(&mut l), None);
        assert!(l.is_empty());
    }
}
