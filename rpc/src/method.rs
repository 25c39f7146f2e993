//! Typed method descriptors: one constant per RPC method.

use std::marker::PhantomData;

/// Who may call a method. The server enforces this table; it is also published in the
/// OpenRPC document so that a client can tell in advance what its credential may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Access {
    /// No credential needed (still subject to the connection-IP allow-list).
    Public,
    /// API users with the sending right, and group administrators.
    Send,
    /// Read-only reports: API users with the transactional right (their own data only) and
    /// every account role.
    Report,
    /// Changes to transactional data (block list, force send): API users with the
    /// transactional right and service or group administrators.
    Transact,
    /// Settings and queue administration: service and group administrators.
    ServiceAdmin,
    /// Accounts and API users: group administrators only.
    GroupAdmin,
    /// Any authenticated caller (about itself).
    Authenticated,
}

/// A method: its wire name, its parameter and result types, and its access rule.
pub struct Method<P, R> {
    /// Wire name, `namespace.verb`.
    pub name: &'static str,
    /// Who may call it.
    pub access: Access,
    _types: PhantomData<fn(P) -> R>,
}

impl<P, R> Method<P, R> {
    /// Declares a method (used by [`crate::methods`]).
    pub const fn new(name: &'static str, access: Access) -> Self {
        Self {
            name,
            access,
            _types: PhantomData,
        }
    }
}

impl<P, R> Clone for Method<P, R> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<P, R> Copy for Method<P, R> {}

/// The untyped view of a method used to build the OpenRPC document.
pub struct MethodInfo {
    /// Wire name.
    pub name: &'static str,
    /// One-line summary.
    pub summary: &'static str,
    /// Who may call it.
    pub access: Access,
    /// JSON Schema of the parameter object.
    pub params: fn(&mut schemars::SchemaGenerator) -> schemars::Schema,
    /// JSON Schema of the result.
    pub result: fn(&mut schemars::SchemaGenerator) -> schemars::Schema,
}
