//! Ordinary mail carrying bounce material (issue 18, first rule): a person's
//! reply quoting a bounce ("Re: why does my mail bounce?"), list
//! traffic pasting MTA log lines, a bug tracker's notification whose title
//! says "delivery failed". The text reads like a bounce; the headers say a
//! person, a list or an application sent it, and nothing says a mail
//! system did. Such a message reports no failure of its own, whatever it
//! quotes.

use crate::markers::Markers;
use crate::mime::View;

/// Whether the headers show a person, a list or an application sending
/// `view`, and no mail system.
pub fn is_ordinary(view: &View, markers: &Markers) -> bool {
    (replied(&view.subject, markers)
        || answers_forward(&view.subject, markers)
        || robot_answers_forward(view, markers)
        || sent_by_list_or_tracker(view, markers)
        || list_sender(view))
        && !sent_by_mail_system(view, markers)
}

/// An auto-reply's subject before a forward's ("[#88213] AutoReply: Fwd:
/// Mail delivery failed"): a help desk or vacation program answered a
/// person who forwarded a bounce. The forward passes the bounce's
/// evidence on (see [`replied`]); the robot's answer quoting it does not.
fn answers_forward(subject: &str, markers: &Markers) -> bool {
    // Two prefixes: two colons, or a colon and "(fwd)".
    let colons = subject.matches(':').count();
    if colons == 0 || colons == 1 && !subject.to_ascii_lowercase().contains("(fwd)") {
        return false;
    }
    let lower = subject.to_lowercase();
    let Some((head, rest)) = after_tags(&lower).and_then(|s| s.split_once(':')) else {
        return false;
    };
    let head = head.trim();
    let rest = rest.trim_start().trim_start_matches('[');
    markers.autoreply_subject.iter().any(|p| p.as_str() == head)
        && markers
            .forward_subject_prefix
            .iter()
            .any(|p| rest.starts_with(p.as_str()))
}

/// A help desk's automatic answer keeping the forward's subject after its
/// ticket tag ("[Ticket#2019031410000123] WG: Mail delivery failed …",
/// `Auto-Submitted: auto-replied`; Zendesk's "[Request received] Fwd:
/// Undelivered Mail Returned to Sender", `auto-generated`): like
/// [`answers_forward`], the robot's answer quoting the forwarded bounce is
/// not the forward.
fn robot_answers_forward(view: &View, markers: &Markers) -> bool {
    crate::detect::auto_submitted_header(view)
        && view.subject.trim_start().starts_with('[')
        && after_tags(&view.subject.to_lowercase()).is_some_and(|s| {
            markers
                .forward_subject_prefix
                .iter()
                .any(|p| s.trim_start_matches('[').starts_with(p.as_str()))
        })
}

/// List or tracker traffic and no mail system: a reply prefix alone does
/// not count here, as challenge systems answer "Re: <subject>" (EarthLink).
pub fn is_list_traffic(view: &View, markers: &Markers) -> bool {
    (sent_by_list_or_tracker(view, markers) || list_sender(view))
        && !sent_by_mail_system(view, markers)
}

/// List traffic as [`is_list_traffic`] reads it, a `List-Unsubscribe`
/// alone not counting: bulk senders add one to every notice (the large
/// providers ask it of them since 2024), challenge services and filters'
/// digests too; a discussion list also names itself (`List-Id`,
/// `List-Post`) or its envelope.
pub fn is_list_discussion(view: &View, markers: &Markers) -> bool {
    let list_field = view.headers.iter().any(|(name, _)| {
        !field_matches(name, "list-unsubscribe:")
            && !field_matches(name, "list-unsubscribe-post:")
            && markers
                .ordinary_header
                .iter()
                .any(|p| field_matches(name, p))
    });
    (list_field || list_sender(view)) && !sent_by_mail_system(view, markers)
}

/// A person's reply ("Re: New virus alert!") and no mail system: what it
/// says about viruses, filters or moderation is discussion, not a filter's
/// or a list manager's notice. (Not for challenges: EarthLink's arrive as
/// "Re: <subject>".)
pub fn is_person_reply(view: &View, markers: &Markers) -> bool {
    replied(&view.subject, markers) && !sent_by_mail_system(view, markers)
}

/// The subject opens with a reply prefix ("Re:", "AW:"), after any list
/// tags ("[ILUG] Re: …"). A bounce puts its own words first
/// ("Undeliverable: RE: …"), so a prefix at the start is a person's reply
/// (or a mail system's answer in a reply's form, see
/// [`sent_by_mail_system`]). Forwards do not count: a person forwarding a
/// bounce to the sender's bounce address passes its evidence on.
pub(crate) fn replied(subject: &str, markers: &Markers) -> bool {
    let Some((head, _)) = after_tags(subject).and_then(|s| s.split_once(':')) else {
        return false;
    };
    // "Re[2]:", "RE :": the counter and the space before the colon go.
    let word = head.split('[').next().unwrap_or("").trim().to_lowercase();
    head.len() <= 12 && markers.reply_prefix.contains(&word)
}

/// `subject` after the list tags before it ("[ILUG] ", "[#88213] "); none
/// when a tag is not closed.
fn after_tags(subject: &str) -> Option<&str> {
    let mut s = subject.trim_start();
    while let Some(rest) = s.strip_prefix('[') {
        s = rest.split_once(']')?.1.trim_start();
    }
    Some(s)
}

/// List (RFC 2369/2919, ezmlm, Yahoo Groups) or tracker (Bugzilla, GitHub,
/// cron) header fields.
fn sent_by_list_or_tracker(view: &View, markers: &Markers) -> bool {
    view.headers.iter().any(|(name, _)| {
        markers
            .ordinary_header
            .starting(name)
            .any(|p| field_matches(name, p))
    })
}

/// A marker ending in `:` names a whole field (`list-id:`); without it, a
/// prefix of field names (`x-bugzilla-`). Compared ignoring ASCII case,
/// without allocating: this runs for every bounce that names somebody.
fn field_matches(name: &str, marker: &str) -> bool {
    // The first letters first: asked of every field for every marker.
    let first = |t: &str| t.as_bytes().first().map(u8::to_ascii_lowercase);
    if first(name) != first(marker) {
        return false;
    }
    match marker.strip_suffix(':') {
        Some(whole) => name.eq_ignore_ascii_case(whole),
        None => name
            .as_bytes()
            .get(..marker.len())
            .is_some_and(|head| head.eq_ignore_ascii_case(marker.as_bytes())),
    }
}

/// A list's envelope in `Sender:` (Majordomo's `owner-list@`, Mailman 2.0's
/// `list-admin@`, Mailman 2.1's `list-bounces@`): lists of 2002 added no
/// `List-Id`, only this.
fn list_sender(view: &View) -> bool {
    view.header("sender").is_some_and(|v| {
        crate::text::find_addresses(v)
            .iter()
            .any(|f| list_role(f.addr))
    })
}

/// A list manager's own address: `owner-list@`, `list-owner@`,
/// `list-admin@`, `list-bounces@` (a VERP suffix, `list-bounces+member=…@`,
/// first taken off).
pub(crate) fn list_role(addr: &str) -> bool {
    let local = addr
        .split(['@', '+'])
        .next()
        .unwrap_or("")
        .to_ascii_lowercase();
    local.starts_with("owner-")
        || ["-owner", "-admin", "-bounces"]
            .iter()
            .any(|s| local.ends_with(s))
}

/// What only a mail system's report has: a top-level delivery report,
/// `X-Failed-Recipients`, a null envelope sender, a mail system's From
/// (`MAILER-DAEMON`, "Mail Delivery System"), a mail system's subject
/// prefix before the returned message's subject ("Non-Delivery: …", from a
/// Microsoft CDO report sent as `admin@`). A list that passes a bounce on
/// to its members or owner adds its own header fields to it (`List-Id` on
/// a bounce from `MAILER-DAEMON@yahoo.com`), and a carrier answers
/// "Re:Test message" from `post_master@`.
fn sent_by_mail_system(view: &View, markers: &Markers) -> bool {
    crate::detect::from_mail_system(view, markers) && !postmaster_answers(view, markers)
        || crate::detect::report_subject_prefix(&view.subject.to_lowercase(), markers).is_some()
        || view.report_type.as_deref() == Some("delivery-status")
        || view.header("x-failed-recipients").is_some()
        || view
            .header("return-path")
            .is_some_and(|r| r.trim().trim_matches(['<', '>']).trim().is_empty())
}

/// A postmaster's own answer to a person ("Re: Bounce from a@x …", "SV:
/// Studsade mejl …"): a reply from `postmaster@` quoting the question below
/// an attribution line ("On …, Grace Liu wrote:") or a mail client's
/// "----- Original Message -----" heading. A carrier's automatic answer
/// from the same address ("Re:Test message") quotes nobody.
fn postmaster_answers(view: &View, markers: &Markers) -> bool {
    if !replied(&view.subject, markers) {
        return false;
    }
    let local = view.from_addr.split('@').next().unwrap_or("");
    if !local.eq_ignore_ascii_case("postmaster") {
        return false;
    }
    view.texts.first().is_some_and(|text| {
        text.lines().any(|line| {
            let low = line.trim().to_lowercase();
            crate::address_context::is_attribution(&low, markers)
                || low.starts_with("---") && crate::markers::any_in(&markers.original_heading, &low)
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn view(subject: &str, headers: &[(&str, &str)]) -> View {
        View {
            subject: subject.to_string(),
            headers: headers.iter().copied().collect(),
            ..View::default()
        }
    }

    #[test]
    fn replies_after_list_tags() {
        let m = Markers::builtin();
        for s in [
            "Re: why does my mail bounce?",
            "[ILUG] Re: Returned mail",
            "RE : Undeliverable",
            "Re[2]: failure notice",
            "AW: Unzustellbar",
            "[example.org #88213] AutoReply: Fwd: Mail delivery failed",
            "Automatic reply: [Fwd: Returned mail]",
        ] {
            assert!(is_ordinary(&view(s, &[]), m), "{s}");
        }
        for s in [
            "Undeliverable: RE: Budget",
            "Returned mail: see transcript for details",
            "Mail delivery failed: returning message to sender",
            "Delivery Status Notification (Failure)",
            "Rejected: Re: hi",
            "Fwd: Returned mail: see transcript for details",
            "[SPAM] Undeliverable",
            "AutoReply: Undeliverable: Budget",
        ] {
            assert!(!is_ordinary(&view(s, &[]), m), "{s}");
        }
    }

    #[test]
    fn list_headers_but_not_a_mail_system_report() {
        let m = Markers::builtin();
        let list = [("List-Id", "<ilug.linux.ie>")];
        assert!(is_ordinary(&view("[ILUG] bounces", &list), m));
        let mut report = view("Undelivered Mail Returned to Sender", &list);
        report.report_type = Some("delivery-status".into());
        assert!(!is_ordinary(&report, m));
        let null = [("List-Id", "<x.example>"), ("Return-Path", "<>")];
        assert!(!is_ordinary(&view("failure notice", &null), m));
        let mut daemon = view("Delivery failure", &list);
        daemon.from_addr = "mailer-daemon@yahoo.example".into();
        assert!(!is_ordinary(&daemon, m));
        assert!(!is_ordinary(
            &view("failure notice", &[("Precedence", "bulk")]),
            m
        ));
    }

    #[test]
    fn a_list_envelope_in_sender() {
        let m = Markers::builtin();
        for sender in [
            "owner-postfix-users@postfix.org",
            "exim-users-admin@exim.org",
            "\"Mailman-Users\" <mailman-users-bounces+jm=jmason.org@python.org>",
        ] {
            let v = view(
                "Returned mail: see transcript for details",
                &[("Sender", sender)],
            );
            assert!(is_ordinary(&v, m), "{sender}");
        }
        let v = view("Returned mail", &[("Sender", "jdoe@example.org")]);
        assert!(!is_ordinary(&v, m));
        let mut daemon = view(
            "Returned mail",
            &[("Sender", "boost-owner@lists.boost.org")],
        );
        daemon.from_addr = "mailer-daemon@yahoo.example".into();
        assert!(!is_ordinary(&daemon, m));
    }

    #[test]
    fn a_template_sentence_stands_in_only_for_a_missing_sender() {
        let text = "Delivery has failed to these recipients or groups:\n\n\
jdoe@example.org\nThe email address you entered couldn't be found.\n";
        let headerless = crate::parse(text.as_bytes());
        assert_eq!(headerless.recipients.len(), 1, "{headerless:?}");
        let notice = format!(
            "From: IT Service Desk <desk@example.org>\nTo: staff@example.org\n\
Subject: Mail migration\n\nYou may see this during the move:\n\n{text}"
        );
        assert!(crate::parse(notice.as_bytes()).recipients.is_empty());
    }
}
