//! Wall-clock time in milliseconds. Kept behind one function so the scheduler and retention
//! code (later) can take an injected clock instead of reading the system time directly.

/// Milliseconds since the Unix epoch (0 if the system clock is before 1970).
pub fn now_ms() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
}
