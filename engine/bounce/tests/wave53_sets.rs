//! Reports written for the thirty-third round of issue 18 by helpers that never saw the parser,
//! its tables or its corpora (`fresh_reports/README.md`, fifty-third wave), labelled before the
//! parser ran on them: a newsletter's bounces from the world's mailbox providers, 2004–2014
//! (`newsletter_world_isps`); causes between two statuses a hurried reader confuses
//! (`status_pairs`); non-failures that look like failure reports (`nonfail_lookalikes3`).
//! The misses left are listed with their reasons; the test fails when one becomes right.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

#[path = "support/fresh_sets.rs"]
mod fresh_sets;

/// Misses left, as `set/file recipient` (or `set/file kind`), with why.
const KNOWN: &[(&str, &str)] = &[];

#[test]
fn a_newsletters_bounces_from_the_worlds_providers() {
    fresh_sets::check("newsletter_world_isps", KNOWN);
}

#[test]
fn causes_between_two_statuses() {
    fresh_sets::check("status_pairs", KNOWN);
}

#[test]
fn non_failures_that_look_like_failures() {
    fresh_sets::check("nonfail_lookalikes3", KNOWN);
}
