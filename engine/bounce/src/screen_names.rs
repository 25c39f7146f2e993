//! Failed users a provider's own report names by their bare mailbox
//! names: AOL's AIRmail lists screen names under its statement, with no
//! domain and no returned copy ("Your mail to the following recipients
//! could not be delivered because …:" / "\tmykewlaolacct"). The domain is
//! the provider's, and only a provider listed in `[bare-name-domain]`
//! (`data/markers.txt`) is read so: another system's bare name may be a
//! host's local mailbox, whose domain is not guessed.

use crate::markers::Markers;
use crate::mime::View;

/// The most names one such list is read for.
const MAX_NAMES: usize = 100;

/// `name@domain` for each bare name listed under a heading that ends with a
/// colon in `text`, when the report's sender is of a `[bare-name-domain]`
/// domain; empty otherwise.
pub(crate) fn listed(view: &View, text: &str, markers: &Markers) -> Vec<String> {
    let Some((_, domain)) = view.from_addr.rsplit_once('@') else {
        return Vec::new();
    };
    let domain = domain.to_ascii_lowercase();
    if !markers.bare_name_domain.contains(&domain) {
        return Vec::new();
    }
    let mut out: Vec<String> = Vec::new();
    let mut under_heading = false;
    for line in crate::text::lines(text) {
        let t = line.trim();
        if t.is_empty() {
            under_heading = false;
            continue;
        }
        if under_heading && is_bare_name(t) {
            let addr = format!("{}@{domain}", t.to_ascii_lowercase());
            if !out.contains(&addr) && out.len() < MAX_NAMES {
                out.push(addr);
            }
            continue;
        }
        under_heading = t.ends_with(':');
    }
    out
}

/// A mailbox name alone: letters, digits and the signs a local part's
/// atom holds, a letter among them, no `@`.
fn is_bare_name(t: &str) -> bool {
    (1..=64).contains(&t.len())
        && t.bytes().any(|b| b.is_ascii_alphabetic())
        && t.bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-' | b'+'))
        && !t.starts_with(['.', '-'])
        && !t.ends_with(['.', '-'])
}

#[cfg(test)]
mod tests {
    use super::is_bare_name;

    #[test]
    fn a_bare_name_is_one_token_of_a_local_parts_signs() {
        for yes in ["mykewlaolacct", "Jane.Doe", "j_doe-2", "a+b"] {
            assert!(is_bare_name(yes), "{yes}");
        }
        for no in [
            "",
            "12345",
            "a@b.example",
            "two words",
            "end.",
            "-x",
            "Reason:",
        ] {
            assert!(!is_bare_name(no), "{no}");
        }
    }
}
