//! Error codes of the API, beyond JSON-RPC's own (-32700 parse error, -32600 invalid request,
//! -32601 method not found, -32602 invalid params, -32603 internal error).
//!
//! Bad input is always `INVALID_PARAMS` with a message naming the offending field and value;
//! the `data` member, when present, carries `{"field": "..."}` for programs.

/// The request's parameters are wrong (missing field, bad address, unknown placeholder, ...).
pub const INVALID_PARAMS: i32 = -32602;
/// No credential, or an unknown/expired one.
pub const UNAUTHENTICATED: i32 = -32001;
/// The credential is valid but its role or rights do not allow the method.
pub const FORBIDDEN: i32 = -32003;
/// The connection's IP address is not on the RPC allow-list.
pub const IP_NOT_ALLOWED: i32 = -32004;
/// Too many requests from this address; retry later.
pub const RATE_LIMITED: i32 = -32005;
/// The account is locked after too many failed logins.
pub const ACCOUNT_LOCKED: i32 = -32006;
/// The object named in the request does not exist.
pub const NOT_FOUND: i32 = -32010;
/// The object exists already, or the request conflicts with the current state.
pub const CONFLICT: i32 = -32011;
/// The engine could not complete the request (storage failure, shutting down).
pub const UNAVAILABLE: i32 = -32050;
