//! Sendmail's `(expanded from: <addr>)` line.
//!
//! Sendmail names an alias's or `.forward`'s target (another address, a
//! program `"|/usr/bin/procmail"` or a file `/var/mail/jd`) and, below it,
//! `(expanded from: <addr>)`: the address it was asked to deliver to, the
//! one its own DSN gives as `Final-Recipient`, the one the sender knows and
//! so the failed recipient. Postfix's `(expanded from <addr>)`, without the
//! colon, reports the target in its DSN too (with the asked address as
//! `Original-Recipient`): the target stays the failed recipient and the asked
//! address is kept beside it ([`asked_original`]), as from that DSN.

use crate::markers::Markers;
use crate::text::{canonical, find_addresses};

/// The targets given in a field of their own, a label and a colon
/// ([`labelled_targets`]: "Dirección de reenvío: <b@x>", "転送先 : b@x"):
/// where the mail went on to, never ours even where the target's reply
/// opens a line with it. (Not a sentence opening with the label, "Forwarding
/// to b@x failed", which may name the recipient itself.)
pub fn labelled_targets_in(lower: &[&str], cut: usize, markers: &Markers) -> Vec<String> {
    lower
        .iter()
        .take(cut)
        .filter(|l| l.contains('@') && l.contains([':', '：']))
        .flat_map(|l| {
            let t = l.trim_start();
            let field = t
                .find('@')
                .and_then(|at| t.get(..at))
                .is_some_and(|head| head.contains([':', '：']));
            if field {
                labelled_targets(t, markers)
            } else {
                Vec::new()
            }
        })
        .collect()
}

/// The forward targets the lines above `cut` name (`lower`: the lines in
/// lower case): a forward target named beside the recipient ("転送先 :
/// b@x") is none of ours, there or in its reply below.
pub fn forward_targets_in(lower: &[&str], cut: usize, markers: &Markers) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for (i, l) in lower.iter().enumerate().take(cut) {
        if !l.contains('@') {
            continue;
        }
        out.extend(forward_targets(l, markers));
        // The address opening its line below a sentence that ends in the
        // forward's verb ("The account is set to forward all mail to" /
        // "<b@y>, and the forwarding attempt failed").
        // (The line above is tested first: few end so.)
        let above = i.checked_sub(1).and_then(|j| lower.get(j)).copied();
        if !crate::positions::forward_target("", above) {
            continue;
        }
        if let Some(first) = find_addresses(l).first() {
            let prefix = l.get(..first.start).unwrap_or("");
            if prefix.trim_matches([' ', '\t', '<']).is_empty() {
                out.push(canonical(first.addr));
            }
        }
    }
    out
}

/// The addresses of a forward target's field (`[forward-target]`: "転送先 :
/// b@x", "Forwarded to: b@x", "Forward to b@x was rejected") on line `low`
/// (lower case), the label opening the line: the recipient's
/// forward, which the target's own reply below names again ("550 Unknown
/// user b@x"). None of ours.
pub fn forward_targets(low: &str, markers: &Markers) -> Vec<String> {
    let t = low.trim_start();
    // Inside a sentence: the address right after "forwarded to", "转发至"
    // ("… 设置了自动转发，转发至 b@x 时失败").
    let in_sentence: Vec<String> = find_addresses(t)
        .iter()
        .filter(|f| {
            let p = crate::text::prefix_before(t, f.start);
            !p.trim().is_empty() && crate::positions::forward_target(p, None)
        })
        .map(|f| canonical(f.addr))
        .collect();
    if !in_sentence.is_empty() {
        return in_sentence;
    }
    labelled_targets(t, markers)
}

/// The addresses after a forward target's label opening the (trimmed,
/// lower-case) line `t` ("Forwarded to: b@x", "Dirección de reenvío:
/// <b@x>"), or none.
pub fn labelled_targets(t: &str, markers: &Markers) -> Vec<String> {
    if !markers
        .forward_target
        .iter()
        .any(|l| t.starts_with(l.as_str()))
    {
        return Vec::new();
    }
    // The label, then a colon or the address itself ("Forward to b@x was
    // rejected:", IMail).
    let found = find_addresses(t);
    let Some(first) = found.first() else {
        return Vec::new();
    };
    let label = t
        .get(..first.start)
        .unwrap_or("")
        .trim_end_matches([' ', '\t', '<', '"'])
        .trim_end_matches([':', '：'])
        .trim();
    if label.is_empty() || !markers.forward_target.iter().any(|l| l.as_str() == label) {
        return Vec::new();
    }
    found.iter().map(|f| canonical(f.addr)).collect()
}

/// The asked address when `line` (`low`: in lower case) is an
/// `(expanded from: <addr>)` line.
pub fn asked_address(low: &str, line: &str) -> Option<String> {
    if !low.trim_start().starts_with("(expanded from:") {
        return None;
    }
    find_addresses(line).first().map(|f| canonical(f.addr))
}

/// The address Exim names below a failed pipe or file delivery ("  pipe to
/// |/usr/bin/intake" / "    generated by help@x" / "    Child process …"):
/// a program or a file is no address, the one that generated it is the
/// failed recipient (`X-Failed-Recipients` names it too). `above`: the
/// line before, in lower case.
pub fn generated_by(low: &str, line: &str, above: &str) -> Option<String> {
    let rest = low.trim_start().strip_prefix("generated by ")?;
    let above = above.trim_start();
    let program = ["pipe to ", "save to ", "|", "/"]
        .iter()
        .any(|p| above.starts_with(p));
    if !program || rest.split_whitespace().count() != 1 {
        return None;
    }
    find_addresses(line).first().map(|f| canonical(f.addr))
}

/// The asked address of Postfix's `<target> (expanded from <asked>): …`
/// or Exim's `target` / `(generated from asked)` opening `diag`, the
/// paragraph about `recipient`, when it is another: the address the sender
/// knows, which a report matched to a delivery is checked against.
pub fn asked_original(diag: &str, recipient: &str) -> Option<String> {
    let low = diag.to_ascii_lowercase();
    if let Some(original) = original_field(&low, recipient) {
        return Some(original);
    }
    let (at, label) = ["(expanded from ", "(generated from "]
        .iter()
        .find_map(|l| low.find(l).map(|at| (at, l.len())))?;
    // Only in the paragraph's opening line, right after its own address.
    if at > recipient.len() + 8 || !low.get(..at)?.contains(recipient) {
        return None;
    }
    let rest = diag.get(at + label..)?;
    let end = rest.find(')')?;
    let asked = find_addresses(rest.get(..end)?)
        .first()
        .map(|f| canonical(f.addr))?;
    (asked != recipient).then_some(asked)
}

/// Sun/Oracle Messaging Server's block: "Recipient address: y" over
/// "Original address: x" (`low`, `above`: the lines in lower case), y a
/// mail address (not its store's "pthompson@ims-ms-daemon", where x is
/// the recipient).
pub fn is_original_below_recipient(low: &str, above: &str) -> bool {
    low.trim_start().starts_with(ORIGINAL_FIELD)
        && above
            .trim_start()
            .strip_prefix(RECIPIENT_FIELD)
            .is_some_and(|rest| !find_addresses(rest).is_empty())
}

const RECIPIENT_FIELD: &str = "recipient address:";
const ORIGINAL_FIELD: &str = "original address:";

/// The address of the "Original address:" field following `recipient`'s
/// "Recipient address:" field in its paragraph (`low`: lower case), when
/// it names another address.
fn original_field(low: &str, recipient: &str) -> Option<String> {
    let rest = low.trim_start().strip_prefix(RECIPIENT_FIELD)?.trim_start();
    let rest = rest.strip_prefix(recipient)?.trim_start();
    let rest = rest.strip_prefix(ORIGINAL_FIELD)?;
    let original = find_addresses(rest).first().map(|f| canonical(f.addr))?;
    (original != recipient).then_some(original)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sun_blocks_original_address_is_its_recipients_original() {
        let diag = "Recipient address: rbighorn@ms1.tallpines.example \
                    Original address: R.Bighorn@tallpines.example Reason: Over quota";
        assert_eq!(
            asked_original(diag, "rbighorn@ms1.tallpines.example").as_deref(),
            Some("r.bighorn@tallpines.example")
        );
        assert_eq!(asked_original(diag, "someone@else.example"), None);
        assert!(is_original_below_recipient(
            "  original address: r.bighorn@tallpines.example",
            "  recipient address: rbighorn@ms1.tallpines.example"
        ));
        assert!(!is_original_below_recipient(
            "  original address: r.bighorn@tallpines.example",
            "  reason: over quota"
        ));
        // The message store's name is no mail address: the original is
        // the recipient.
        assert!(!is_original_below_recipient(
            "  original address: pthompson@host.uni.example",
            "  recipient address: pthompson@ims-ms-daemon"
        ));
    }

    #[test]
    fn a_localized_forward_target_label() {
        let m = Markers::builtin();
        assert_eq!(
            forward_targets(
                "    dirección de reenvío:  <rvidal@correo-antiguo.example>",
                m
            ),
            ["rvidal@correo-antiguo.example"]
        );
    }

    #[test]
    fn a_forward_target_opening_the_line_below_its_verb() {
        let m = Markers::builtin();
        let lower = [
            "the account dwilcox is set to forward all mail to",
            "<dwilcox@newjob.example.net>, and the forwarding attempt failed:",
            "",
            "<b@y.example>: user unknown",
        ];
        assert_eq!(
            forward_targets_in(&lower, 4, m),
            ["dwilcox@newjob.example.net"]
        );
    }

    #[test]
    fn the_asked_address() {
        let l = "    (expanded from: <JD@sm.example.com>)";
        let low = l.to_ascii_lowercase();
        assert_eq!(asked_address(&low, l).as_deref(), Some("jd@sm.example.com"));
        assert_eq!(asked_address("(reason: can't create output)", "x"), None);
        let postfix = "<jd@t.example> (expanded from <jd@sm.example.com>): user unknown";
        assert_eq!(asked_address(&postfix.to_ascii_lowercase(), postfix), None);
        assert_eq!(
            asked_original(postfix, "jd@t.example").as_deref(),
            Some("jd@sm.example.com")
        );
        let exim = "jd@t.example (generated from jd@sm.example.com) SMTP error from remote \
                    mail server after RCPT TO:<jd@t.example>: 550 5.1.1 user unknown";
        assert_eq!(
            asked_original(exim, "jd@t.example").as_deref(),
            Some("jd@sm.example.com")
        );
        assert_eq!(asked_original(exim, "other@t.example"), None);
    }

    #[test]
    fn postfix_keeps_the_asked_address_beside_the_target() {
        let diag = "<jd@t.example> (expanded from <JD@sm.example.com>): host t.example[192.0.2.1] \
said: 550 5.1.1 user unknown";
        assert_eq!(
            asked_original(diag, "jd@t.example").as_deref(),
            Some("jd@sm.example.com")
        );
        assert_eq!(
            asked_original("<jd@t.example>: user unknown", "jd@t.example"),
            None
        );
        let same = "<jd@t.example> (expanded from <jd@t.example>): user unknown";
        assert_eq!(asked_original(same, "jd@t.example"), None);
        let later =
            "<a@t.example>: host said: 550 no (see <b@t.example> (expanded from <c@x.example>))";
        assert_eq!(asked_original(later, "a@t.example"), None);
    }
}
