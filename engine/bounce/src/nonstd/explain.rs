//! Each failed recipient's explanation in the error block: its paragraph,
//! or the text its position makes its own (a reason above it, a footnote,
//! a reply shared by a list, a paragraph about its domain, the session's
//! refusal of it).

use std::cell::OnceCell;
use std::collections::HashMap;

use crate::above::{block_above, paragraph_above};
use crate::domain_paragraph::Paragraphs;
use crate::markers::{any_in, Markers};
use crate::paragraph::{has_code, meaningful, paragraph};
use crate::positions::Hits;
use crate::session_transcript::Session;
use crate::text::clip;

use super::layout::Layout;
use super::{Candidate, MAX_DIAG};

/// What explaining the block's recipients reads, built once per block.
pub(super) struct Reading<'r, 'a> {
    pub(super) layout: &'r Layout<'a>,
    pub(super) markers: &'r Markers,
    /// The recipients chosen, with their lines.
    pub(super) chosen: &'r Hits,
    /// Those told in a failure sentence of their own.
    pub(super) told: &'r Hits,
    /// The lines naming a recipient, sorted: looked up by binary search.
    addr_lines: Vec<usize>,
    /// Where a recipient's paragraph stops: those lines and the ones set
    /// aside (Sendmail's transcript line of a recipient still tried,
    /// "<b@y>... Deferred: Connection refused", right below the failed
    /// one's), sorted.
    stops: Vec<usize>,
    /// The recipients named on each line, for a line shared by several.
    on_line: HashMap<usize, Vec<&'r str>>,
    /// The lines set aside: lists of recipients reached or still tried.
    pub(super) aside: Option<Vec<bool>>,
    /// The block's SMTP session, where it quotes one.
    pub(super) session: Option<&'r Session>,
    /// Whether the block quotes an SMTP session at all.
    pub(super) quotes_session: bool,
    /// The block's paragraphs, read once where a recipient needs its
    /// domain's.
    paragraphs: OnceCell<Paragraphs>,
}

impl<'r, 'a> Reading<'r, 'a> {
    pub(super) fn new(
        layout: &'r Layout<'a>,
        markers: &'r Markers,
        chosen: &'r Hits,
        told: &'r Hits,
        aside: Option<Vec<bool>>,
        session: Option<&'r Session>,
        quotes_session: bool,
    ) -> Self {
        let mut on_line: HashMap<usize, Vec<&str>> = HashMap::new();
        for (a, l) in chosen {
            on_line.entry(*l).or_default().push(a.as_str());
        }
        // Sorted (hits come in line order).
        let mut addr_lines: Vec<usize> = chosen.iter().map(|(_, i)| *i).collect();
        addr_lines.sort_unstable();
        addr_lines.dedup();
        let mut stops = addr_lines.clone();
        if let Some(a) = &aside {
            stops.extend(
                a.iter()
                    .enumerate()
                    .filter(|&(_, &set)| set)
                    .map(|(i, _)| i),
            );
            stops.sort_unstable();
            stops.dedup();
        }
        Reading {
            layout,
            markers,
            chosen,
            told,
            addr_lines,
            stops,
            on_line,
            aside,
            session,
            quotes_session,
            paragraphs: OnceCell::new(),
        }
    }

    /// Whether line `i` is set aside.
    pub(super) fn is_aside(&self, i: usize) -> bool {
        self.aside
            .as_ref()
            .is_some_and(|a| a.get(i).copied().unwrap_or(false))
    }

    /// A paragraph about `addr`'s domain, where several recipients are
    /// chosen.
    fn about_domain(&self, addr: &str) -> Option<String> {
        if self.chosen.len() <= 1 {
            return None;
        }
        let l = self.layout;
        self.paragraphs
            .get_or_init(|| Paragraphs::of(&l.lines, l.first, l.cut))
            .about(crate::domain_paragraph::domain_of(addr))
    }

    /// A recipient's explanation is read on into the next paragraphs, but
    /// not into another recipient's, nor into a list of recipients reached
    /// or still tried, nor into Sendmail's session with another host about
    /// another recipient (">>> RCPT To:<b@y>" below "... while talking to").
    fn reads_on(&self, j: usize, addr: &str) -> bool {
        let lines = &self.layout.lines;
        self.addr_lines.binary_search(&j).is_err()
            && !self.is_aside(j)
            && !lines.get(j).is_some_and(|l| {
                crate::paragraph::new_session(l)
                    && crate::paragraph::session_names_another(lines, j, addr)
            })
    }

    /// The next non-blank line from `at` above the cut that `addr`'s
    /// explanation reads on into.
    fn next_read_on(&self, at: usize, addr: &str) -> Option<usize> {
        let lines = &self.layout.lines;
        (at..self.layout.cut)
            .find(|&j| lines.get(j).is_some_and(|l| !l.trim().is_empty()))
            .filter(|&j| self.reads_on(j, addr))
    }

    /// The text explaining `addr` named on `line`, and whether it is the
    /// recipient's own; `None` when that line tells it was reached.
    pub(super) fn explain(&self, addr: &str, line: usize) -> Option<(String, bool)> {
        let lines = &self.layout.lines;
        let (mut para, mut end) = paragraph(lines, line, &self.stops);
        // Sendmail's summary line ends its recipient's part of the
        // transcript: what follows up to the next recipient is that one's.
        if crate::sendmail_summary::ends_its_part(lines, line, end, addr, &self.addr_lines) {
            para = format!("{} ", lines.get(line).unwrap_or(&"").trim());
            end = line + 1;
        }
        if let Some(item) = crate::above::expansion_above(lines, line, &self.addr_lines) {
            para = format!("{item} {para}");
        } else if let Some(above) = self.sentence_above(addr, line) {
            para = format!("{above} {para}");
        }
        let paired = crate::paragraph::paired_above(lines, line);
        // (A transcript's "250 … Recipient ok" to its `RCPT TO:` says the
        // address was taken, not the message: the session failed after it.)
        let rcpt_echo = lines
            .get(line)
            .is_some_and(|l| crate::text::contains_ci(l.as_bytes(), b"rcpt to:"));
        if !rcpt_echo && crate::paragraph::reached_line(&para) {
            return None;
        }
        let own_above = self.own_above(&para, addr, line, end);
        // A reference to a note ("see [2]"): the note is the reason, and
        // nothing is read on. Recipients sharing one error, listed above it
        // (Exim: "  a@x" / "  b@y" / "      host …: 550 …"): it is each one's.
        let note = crate::paragraph::footnote(self.layout.above_cut(), line);
        let said =
            meaningful(&para, addr) && !crate::paragraph::bare_start(&para, addr, self.markers);
        let shared = (!said)
            .then(|| {
                crate::paragraph::shared_below(lines, &self.layout.indents, line, &self.addr_lines)
            })
            .flatten();
        // Whether the text is the recipient's own block; read on from an
        // address alone, it may be whatever follows (a footer).
        let own =
            paired.is_some() || note.is_some() || shared.is_some() || own_above.is_some() || said;
        if let Some(pair) = paired {
            para = pair;
        } else if let Some(note) = note {
            para = format!("{para} {note}");
        } else if let Some(shared) = shared {
            para = format!("{para} {shared}");
        } else if let Some(above) = own_above {
            para = format!("{above}{para}");
        } else if let Some(about) = (!own).then(|| self.about_domain(addr)).flatten() {
            // Several recipients, this one alone on its line: a paragraph
            // about its domain is its reason, wherever it stands.
            para = format!("{para} {about}");
        } else if !own {
            self.read_on_from_alone(&mut para, addr, line, end);
        } else if !has_code(&para) {
            self.read_on_to_reply(&mut para, addr, line, end);
        }
        if let Some(reply) = self.session_reply(addr, line) {
            if !clip(&para, MAX_DIAG / 2).contains(reply.trim_end()) {
                para = format!("{reply}{para}");
            }
        }
        Some((self.own_part_of_line(para, addr, line), own))
    }

    /// The failure sentence a told recipient continues, begun above its
    /// line ("Nobody by the name m.delgado exists here" / "(m.delgado@x).
    /// Please …"), from its last clause's start: "(their mailbox is full),
    /// or to" / "b@y (no such domain)" is b@y's "or to".
    fn sentence_above(&self, addr: &str, line: usize) -> Option<String> {
        let l = self.layout;
        if !self.told.iter().any(|(a, _)| a == addr) {
            return None;
        }
        let start = crate::sentences::sentence_begun_above(&l.lines, &l.indents, line, l.first)?;
        let above: Vec<&str> = l
            .lines
            .get(start..line)
            .unwrap_or(&[])
            .iter()
            .map(|l| l.trim())
            .collect();
        let above = above.join(" ");
        let from = above.rfind(['.', ';', ')', '!', '?']).map_or(0, |e| e + 1);
        Some(above.get(from..).unwrap_or("").trim().to_string())
    }

    /// The recipient's block ends below it without a reply code and its
    /// lines above quote one: the error stands before the recipient, and
    /// the paragraphs below are the next recipient's.
    fn own_above(&self, para: &str, addr: &str, line: usize, end: usize) -> Option<String> {
        let lines = &self.layout.lines;
        let ends_block = lines.get(end).is_none_or(|l| l.trim().is_empty());
        if !ends_block || has_code(para) {
            return None;
        }
        block_above(lines, line, &self.addr_lines)
            .or_else(|| {
                crate::above::sentence_above(lines, line, addr, &self.addr_lines, |t| {
                    any_in(&self.markers.bounce_subject, t)
                })
            })
            .or_else(|| crate::above::item_above(lines, line, &self.addr_lines))
            .filter(|&(_, from)| !(from..line).any(|i| self.is_aside(i)))
            .map(|(above, _)| above)
    }

    /// "<addr>" alone: the explanation follows, often prose first and the
    /// quoted server reply after it (Gmail), so it is read on until a reply
    /// code shows up. The last of a list of bare addresses ("The following
    /// recipients were affected:" / "a@x" / "b@y") shares its list's
    /// reason, stated above it as often as below: what follows is read
    /// only when it quotes a reply.
    fn read_on_from_alone(&self, para: &mut String, addr: &str, line: usize, mut end: usize) {
        let lines = &self.layout.lines;
        let last_item = line
            .checked_sub(1)
            .filter(|&p| self.addr_lines.binary_search(&p).is_ok())
            .and_then(|p| lines.get(p))
            .is_some_and(|l| crate::paragraph::alone_on_line(l));
        let mut extra = String::new();
        for round in 0..3 {
            if round > 0 && (has_code(para) || has_code(&extra)) {
                break;
            }
            let Some(j) = self.next_read_on(end, addr) else {
                break;
            };
            let (p, e) = paragraph(lines, j, &self.stops);
            extra.push_str(&p);
            end = e.min(self.layout.cut);
        }
        if !last_item || has_code(&extra) {
            para.push_str(&extra);
        }
    }

    /// A reason in words with the server's reply further down (Gmail: "Your
    /// message to <addr> has been blocked." / "The response from the remote
    /// server was:" / reply): the reply is the better evidence. The
    /// paragraphs read on are kept only when they end in a reply code
    /// before another address.
    fn read_on_to_reply(&self, para: &mut String, addr: &str, line: usize, end: usize) {
        let lines = &self.layout.lines;
        let mut extra = String::new();
        let mut at = end;
        for _ in 0..3 {
            let Some(j) = self.next_read_on(at, addr) else {
                break;
            };
            let (p, e) = paragraph(lines, j, &self.stops);
            if about_another_domain(&p, addr, self.chosen) {
                break;
            }
            extra.push_str(&p);
            at = e.min(self.layout.cut);
            if has_code(&extra) {
                para.push_str(&extra);
                break;
            }
        }
        if !has_code(para) {
            // A session transcript above the statement (InterScan: `Sent
            // <<< RCPT TO:<addr>` / `Received >>> 550 5.1.1 unknown user.`
            // / blank / `Unable to deliver message to <addr>`): the
            // paragraph just above, naming the same recipient with a reply
            // code, is its reply.
            if let Some(above) = paragraph_above(lines, line, addr) {
                *para = format!("{above} {para}");
            }
        }
    }

    /// A session transcript's refusal of `addr`, far below, which leads
    /// (the text kept of a diagnostic would not reach it).
    fn session_reply(&self, addr: &str, line: usize) -> Option<String> {
        let answered = self
            .session
            .and_then(|s| s.refused.iter().find(|(r, _)| r == addr))
            .map(|(_, reply)| format!("{reply} "));
        if answered.is_some() || !self.quotes_session {
            return answered;
        }
        let above_cut = self.layout.above_cut();
        crate::session_transcript::failing_reply(above_cut, line, &self.addr_lines, addr)
            .or_else(|| crate::session_transcript::reply_above_summary(above_cut, addr))
    }

    /// Several recipients on one line, each with its own reason ("a@x: 550
    /// …; b@y: 552 …"): each takes its part of the line, the last the lines
    /// below too.
    fn own_part_of_line(&self, para: String, addr: &str, line: usize) -> String {
        let lines = &self.layout.lines;
        let others: Vec<&str> = self
            .on_line
            .get(&line)
            .map(|all| all.iter().copied().filter(|a| *a != addr).collect())
            .unwrap_or_default();
        let Some((part, last)) = lines
            .get(line)
            .and_then(|l| crate::paragraph::own_part(l, addr, &others))
        else {
            return para;
        };
        let continues = last
            && self.addr_lines.binary_search(&(line + 1)).is_err()
            && lines.get(line + 1).is_some_and(|l| !l.trim().is_empty());
        if continues {
            format!("{part} {}", paragraph(lines, line + 1, &self.addr_lines).0)
        } else {
            part
        }
    }

    /// Gives each candidate without words of its own its reply echoed
    /// below the transcript (Sendmail: "550 5.1.2 <b@y>... Host unknown"),
    /// else a paragraph about its domain, else the block's text.
    pub(super) fn fill_wordless(&self, out: &mut [Candidate], context: &str) {
        let l = self.layout;
        for c in out {
            c.diagnostic = clip(&c.diagnostic, MAX_DIAG).to_string();
            c.own_text = clip(&c.own_text, MAX_DIAG).to_string();
            if meaningful(&c.diagnostic, &c.recipient) {
                continue;
            }
            let echoed = crate::session_transcript::echoed_reply(
                l.lines.get(l.first..l.cut).unwrap_or(&[]),
                &c.recipient,
            );
            let own = match echoed {
                Some(line) => Some(line.trim().to_string()),
                None => self.about_domain(&c.recipient),
            };
            match own {
                Some(own) => {
                    c.diagnostic = clip(&own, MAX_DIAG).to_string();
                    c.own_text = c.diagnostic.clone();
                }
                None => {
                    c.diagnostic = clip(context, MAX_DIAG).to_string();
                    c.own_text.clear();
                }
            }
        }
    }
}

/// A paragraph that names another recipient's domain and not this one's
/// ("The mail server for b.example … refused the message"): theirs.
fn about_another_domain(p: &str, addr: &str, chosen: &[(String, usize)]) -> bool {
    use crate::domain_paragraph::{domain_of, names_domain};
    let mine = domain_of(addr);
    !names_domain(p, mine)
        && chosen.iter().any(|(other, _)| {
            let theirs = domain_of(other);
            theirs != mine && names_domain(p, theirs)
        })
}
