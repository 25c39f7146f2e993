//! Regions of a report's text whose addresses are not failed recipients,
//! for the non-standard reader (`nonstd`): a signature, a letter's closing
//! or a mailing list's footer below the statement, and the sections of a
//! mixed report that list the recipients reached (Sendmail's "had
//! successful delivery notifications", a partial delivery's "was
//! successfully delivered to the following recipients") or still being
//! tried (Sendmail's "had transient non-fatal errors", "Delivery to the
//! following recipients has been delayed"). Kept apart from the reader.
//! Two readings: `listed_under` looks upwards from each address line for
//! its list's header (what the reader needs, at no cost to a report without
//! such lists); `Regions` reads forwards, line by line, the footers always
//! and the lists from their first header on (what `set_aside` needs to
//! take the lists' lines out of the text a failure is explained from).

use std::sync::OnceLock;

use aho_corasick::AhoCorasick;

use crate::markers::{any_in, Markers};

/// What the current line belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Region {
    /// The report's own statement: its addresses count.
    Statement,
    /// A signature or list footer.
    Footer,
    /// A list of recipients the message reached.
    Reached,
    /// A list of recipients still being tried (not failed, not yet).
    Delayed,
}

/// How many lines a signature or list footer runs at most (RFC 3676's
/// signatures are four; Mailman's footer is four to six).
const FOOTER_LINES: usize = 6;

/// The line-by-line state.
pub(crate) struct Regions<'m> {
    markers: &'m Markers,
    /// The first line with `[success]` wording, where reached-lists can
    /// start (none before: the common case costs no search per line).
    success_at: Option<usize>,
    /// The first line with `[delay-section]` wording.
    delay_at: Option<usize>,
    /// Lines of the current footer still to come.
    footer: usize,
    /// The open section, `Reached` or `Delayed`.
    section: Option<Region>,
    /// The line before was blank.
    after_blank: bool,
    /// The line before was a letter's closing alone ("Met vriendelijke
    /// groet,"): the signature may follow a blank line.
    closing_before: bool,
    /// The line before opened the section (its header may wrap onto this
    /// one).
    opened: bool,
}

impl<'m> Regions<'m> {
    /// Footers only: the sections are looked up per address
    /// (`listed_under`).
    pub(crate) fn footers(markers: &'m Markers) -> Regions<'m> {
        Regions::new(markers, None, None)
    }

    pub(crate) fn new(
        markers: &'m Markers,
        success_at: Option<usize>,
        delay_at: Option<usize>,
    ) -> Regions<'m> {
        Regions {
            markers,
            success_at,
            delay_at,
            footer: 0,
            section: None,
            after_blank: false,
            closing_before: false,
            opened: false,
        }
    }

    /// A blank line ends a footer; a section goes on past it into its list.
    pub(crate) fn blank(&mut self) {
        // A closing alone, then a blank line, then the name and address:
        // the signature's paragraph is the footer's.
        if !std::mem::take(&mut self.closing_before) {
            self.footer = 0;
        }
        self.after_blank = true;
    }

    /// The region of line `i` (`low`: lower case). A section opens at its
    /// header and closes at failure wording or a failure header, or at a
    /// paragraph below a blank line that names no address (the report's
    /// text goes on, the list is over).
    pub(crate) fn line(&mut self, i: usize, line: &str, low: &str) -> Region {
        let after_blank = std::mem::take(&mut self.after_blank);
        self.closing_before = false;
        if opens_footer(line, low, self.markers) {
            self.footer = FOOTER_LINES;
            self.closing_before = is_closing(low, self.markers);
            return Region::Footer;
        }
        if self.footer > 0 {
            self.footer -= 1;
            return Region::Footer;
        }
        let from = |at: Option<usize>| at.is_some_and(|at| i >= at);
        let opened_above = std::mem::take(&mut self.opened) && !after_blank;
        if from(self.success_at) || from(self.delay_at) {
            let m = self.markers;
            let failure = any_in(&m.permanent, low);
            if from(self.delay_at) && !failure && any_in(&m.delay_section, low) {
                self.section = Some(Region::Delayed);
                self.opened = true;
            } else if from(self.success_at)
                && !failure
                && (any_in(&m.success, low) || success_heading(low, m))
            {
                self.section = Some(Region::Reached);
                self.opened = true;
            } else if failure
                || any_in(&m.start, low)
                    && !(opened_above && line.trim_end().ends_with(':'))
                    && !item_field(line)
                || after_blank && !opens_with_address(line)
            {
                // (The header's own last line, "to the following
                // recipients:", keeps the list it wraps open.)
                self.section = None;
            } else if let Some(section) = self.section {
                // A refusal's reply code is no delivery ("<a@x>: host said:
                // 550 …" below the reached ones); a delayed one's 4xx is its
                // reason, a 5xx is not.
                let floor = if section == Region::Reached { 400 } else { 500 };
                if crate::codes::find_reply_code(low).is_some_and(|c| c >= floor) {
                    self.section = None;
                }
            }
        }
        self.section.unwrap_or(Region::Statement)
    }
}

/// The list, if any, that line `i` (holding an address) is an item of
/// (`lines` without their indents, which `indents` holds),
/// looked for upwards from it (no further than `floor`): past other items,
/// their indented reasons and blank lines, up to the header that opens the
/// list. Looked up per address line, so a report without such lists costs
/// no search over its whole text.
pub(crate) fn listed_under(
    lines: &[&str],
    lower: &[&str],
    indents: &[usize],
    i: usize,
    floor: usize,
    markers: &Markers,
) -> Region {
    // Prose naming an address is no list item (checked first: most lines
    // with an address are prose or an "<addr>: reason" line).
    if !lines.get(i).is_some_and(|l| opens_with_address(l)) {
        return Region::Statement;
    }
    let lists = ListWords::of(markers);
    for j in (floor..i).rev().take(LOOKBACK_LINES) {
        let (Some(line), Some(low)) = (lines.get(j), lower.get(j)) else {
            break;
        };
        if line.trim().is_empty() {
            continue;
        }
        // The items' header (Sendmail indents its own: "   ----- The
        // following addresses had transient non-fatal errors -----").
        if let Some(region) = lists
            .header(low)
            .or_else(|| success_heading(low, markers).then_some(Region::Reached))
        {
            if !any_in(&markers.permanent, low) {
                return region;
            }
        }
        // An item's reason, indented under it ("    (reason: 550 …)",
        // Exim's "    Delay reason: …").
        let reason = indents.get(j).is_some_and(|&n| n > 0) || line.trim_start().starts_with('(');
        // An item's reason field ("Reason: unable to deliver this message
        // after 0 days" under a delayed list's item) is the item's, no
        // failure list's header.
        if reason && item_field(line) && !any_in(&markers.permanent, low) {
            continue;
        }
        if lists.says_failure(low) {
            // "to the following recipients:" ends a header wrapped from the
            // line above ("Your message has been delayed and is still
            // awaiting delivery"): its list words are a failure list's, the
            // line above says which list.
            if line.trim_end().ends_with(':') && !any_in(&markers.permanent, low) {
                return wrapped_header(lower, j, floor, lists, markers);
            }
            return Region::Statement;
        }
        // Prose: a header wrapped over its paragraph's lines ("Delivery to
        // the following recipients is still pending. The server will" /
        // "keep trying …, you do not need to" / "resend it:"), or no list.
        if !(opens_with_address(line) || reason) {
            // (A header ends in a colon, or its paragraph opens with the
            // header's sentence: Courier's "Your message to the following
            // recipients has not been delivered yet." / "The mail server
            // will keep trying …" above its items; other prose ends the
            // search.)
            return if line.trim_end().ends_with([':', '.']) {
                wrapped_header(lower, j, floor, lists, markers)
            } else {
                Region::Statement
            };
        }
    }
    Region::Statement
}

/// The list a header opens whose last line is `j`: its paragraph's lines
/// above (up to a blank line, at most four) hold the header's phrase, no
/// line below it in the paragraph saying a failure.
fn wrapped_header(
    lower: &[&str],
    j: usize,
    floor: usize,
    lists: &ListWords,
    markers: &Markers,
) -> Region {
    for k in (floor..j).rev().take(WRAPPED_HEADER_LINES) {
        let Some(low) = lower.get(k) else {
            break;
        };
        if low.trim().is_empty() {
            break;
        }
        if let Some(region) = lists.header(low) {
            if !any_in(&markers.permanent, low) {
                return region;
            }
        }
        if lists.says_failure(low) {
            break;
        }
    }
    Region::Statement
}

/// How many lines above its last one a list's header may begin.
const WRAPPED_HEADER_LINES: usize = 4;

/// The list headers (`[delay-section]`, `[success]`) in one automaton, and
/// the failure wording (`[permanent]`, `[start]`) in another: a looked-up
/// line is read once for each question.
struct ListWords {
    headers: Option<AhoCorasick>,
    /// Per header phrase: the list it opens.
    kinds: Vec<Region>,
    failure: Option<AhoCorasick>,
}

impl ListWords {
    /// Built once, from the built-in table (the only one `nonstd` reads).
    fn of(markers: &Markers) -> &'static ListWords {
        static L: OnceLock<ListWords> = OnceLock::new();
        L.get_or_init(|| {
            let mut phrases: Vec<&str> = Vec::new();
            let mut kinds = Vec::new();
            for (list, kind) in [
                (&markers.delay_section, Region::Delayed),
                (&markers.success, Region::Reached),
            ] {
                for p in list.iter() {
                    phrases.push(p);
                    kinds.push(kind);
                }
            }
            let failure: Vec<&str> = markers
                .permanent
                .iter()
                .chain(markers.start.iter())
                .map(String::as_str)
                .collect();
            ListWords {
                headers: AhoCorasick::new(&phrases).ok(),
                kinds,
                failure: AhoCorasick::new(&failure).ok(),
            }
        })
    }

    /// The list `low` heads, a delay list before a reached one.
    fn header(&self, low: &str) -> Option<Region> {
        let ac = self.headers.as_ref()?;
        let mut found = None;
        for m in ac.find_overlapping_iter(low) {
            match self.kinds.get(m.pattern().as_usize()) {
                Some(Region::Delayed) => return Some(Region::Delayed),
                Some(&k) => found = Some(k),
                None => {}
            }
        }
        found
    }

    /// Whether `low` states a failure: its words outside a condition
    /// ("you will be notified if it cannot be delivered", under Courier's
    /// "has not been delivered yet" heading, says none).
    fn says_failure(&self, low: &str) -> bool {
        self.failure.as_ref().is_some_and(|ac| {
            ac.find_iter(low).any(|m| {
                let before = low.get(..m.start()).unwrap_or("");
                let clause = before
                    .rfind([',', '.', ';', ':'])
                    .map_or(before, |e| before.get(e + 1..).unwrap_or(""));
                !(clause.trim_start().starts_with("if ") || clause.contains(" if "))
            })
        })
    }
}

/// How far up a list's header is looked for from one of its items.
const LOOKBACK_LINES: usize = 40;

/// Which of `lines[..cut]` (and `lower`, their lower case) are set aside
/// from the report's statement: the lists of recipients reached or still
/// tried, and the transcript lines of the latter ("<slow@x>... Deferred:
/// Connection timed out"), whose words explain no failure.
pub(crate) fn set_aside(
    lines: &[&str],
    lower: &[&str],
    cut: usize,
    mut regions: Regions,
    delayed: &[String],
) -> Vec<bool> {
    let mut out = Vec::with_capacity(cut);
    for (i, (line, low)) in lines.iter().zip(lower).take(cut).enumerate() {
        if line.trim().is_empty() {
            regions.blank();
            out.push(false);
            continue;
        }
        let listed = matches!(
            regions.line(i, line, low),
            Region::Reached | Region::Delayed
        );
        out.push(
            listed
                || crate::text::find_addresses(line)
                    .first()
                    .is_some_and(|f| delayed.contains(&crate::text::canonical(f.addr))),
        );
    }
    out
}

/// A list item: the line starts with an address (after its bullet or
/// bracket), as in "    ok@z.example" or "<ok@z.example>  (relayed)".
pub(crate) fn opens_with_address(line: &str) -> bool {
    let t = line.trim_start_matches(|c: char| {
        c.is_whitespace()
            || matches!(c, '<' | '*' | '-' | '"')
            || crate::address_context::is_bullet(c)
    });
    // A block's recipient field opens its item as the address would
    // (Sun/Oracle Messaging Server's "Recipient address: x" under "Your
    // message has been delivered to the following recipients:").
    let t = RECIPIENT_FIELDS
        .iter()
        .find(|f| crate::text::starts_with_ci(t, f))
        .and_then(|f| t.get(f.len()..))
        .map_or(t, str::trim_start);
    t.split(|c: char| c.is_whitespace() || matches!(c, '>' | ',' | ';' | ':'))
        .next()
        .is_some_and(|w| w.contains('@'))
}

/// An item's field giving its reason (Sun/Oracle Messaging Server's
/// "Reason:", Sendmail's "(reason: …)"): its words are the item's.
fn item_field(line: &str) -> bool {
    let t = line.trim_start();
    ["reason:", "(reason:", "diagnostic code:"]
        .iter()
        .any(|f| crate::text::starts_with_ci(t, f))
}

/// Field labels a list item's recipient stands after.
const RECIPIENT_FIELDS: [&str; 3] = ["recipient address:", "original address:", "recipient:"];

/// A signature delimiter (`-- `, RFC 3676 §4.3, also written without the
/// space), a letter's closing on its own line ("Regards,": `[closing]`) or
/// a mailing list's footer rule (Mailman's line of underscores). The lines
/// below it, up to a blank line, are the sender's signature or the list's
/// name, address and web page ("Ops-Discuss mailing list" /
/// `ops-discuss@lists.example.org`): an address alone on its line there
/// stands where failed recipients stand, and is none. Up to a blank line
/// only: a person's signature above a forwarded report ends there.
fn opens_footer(line: &str, low: &str, markers: &Markers) -> bool {
    let t = line.trim_end();
    if t == "--" || t.len() >= 20 && t.bytes().all(|b| b == b'_') {
        return true;
    }
    // A sign-off after a dash ("— Quillbridge Mail", "– The Ops Team"): a
    // few words, no address.
    if let Some(name) = t.trim_start().strip_prefix(['—', '–']) {
        let words = name.split_whitespace().count();
        if (1..=4).contains(&words) && !name.contains(['@', ':']) {
            return true;
        }
    }
    is_closing(low, markers)
}

/// A letter's closing on its own line ("Regards,": `[closing]`).
fn is_closing(low: &str, markers: &Markers) -> bool {
    // A closing is short: most lines are ruled out by their length alone.
    let closing = low.trim().trim_end_matches([',', '.', '!', '、', '。']);
    closing.len() <= 40 && markers.closing.iter().any(|c| c == closing)
}

/// A whole line heading a list of recipients reached (`[success-heading]`):
/// "DELIVERED:", "Relayed (1):", "=== Successful recipients ===". Bullets,
/// rules, a count in brackets and the colon are no part of the heading.
pub(crate) fn success_heading(low: &str, markers: &Markers) -> bool {
    if low.len() > 48 {
        return false;
    }
    let t = low.trim_matches(|c: char| !c.is_alphanumeric() && c != '(');
    let t = match t.rfind('(') {
        Some(at)
            if t.get(at..)
                .is_some_and(|c| c.chars().all(|c| c == '(' || c.is_ascii_digit())) =>
        {
            t.get(..at).unwrap_or(t)
        }
        _ => t,
    };
    let t = t.trim_matches(|c: char| !c.is_alphanumeric());
    !t.is_empty() && markers.success_heading.iter().any(|h| h.as_str() == t)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The regions of each line of `text`, as `nonstd` feeds them.
    fn regions(text: &str) -> Vec<Region> {
        let m = Markers::builtin();
        let low = text.to_lowercase();
        let first = |list: &crate::markers::PhraseList| low.lines().position(|l| any_in(list, l));
        let mut r = Regions::new(m, first(&m.success), first(&m.delay_section));
        let mut out = Vec::new();
        for (i, (line, l)) in text.lines().zip(low.lines()).enumerate() {
            if line.trim().is_empty() {
                r.blank();
                out.push(Region::Statement);
            } else {
                out.push(r.line(i, line, l));
            }
        }
        out
    }

    #[test]
    fn sendmail_sections() {
        use Region::*;
        let text = "   ----- The following addresses had permanent fatal errors -----\n\
<gone@x.example>\n\n   ----- The following addresses had transient non-fatal errors -----\n\
<slow@y.example>\n\n   ----- The following addresses had successful delivery notifications -----\n\
<ok@z.example>  (successfully delivered to mailbox)\n\n   ----- Transcript of session follows -----\n\
<gone@x.example>... User unknown";
        assert_eq!(
            regions(text),
            vec![
                Statement, Statement, Statement, Delayed, Delayed, Statement, Reached, Reached,
                Statement, Statement, Statement
            ]
        );
    }

    #[test]
    fn a_list_ends_at_the_next_paragraph_without_an_address() {
        use Region::*;
        let text = "Your message was successfully delivered to the following recipients:\n\n\
    ok@z.example\n\nThe mailbox of gone@x.example is full.";
        assert_eq!(
            regions(text),
            vec![Reached, Statement, Reached, Statement, Statement]
        );
    }

    #[test]
    fn an_item_finds_its_list_header_upwards() {
        let text = concat!(
            "The addresses to which the message has not yet been delivered are:\n\n",
            "  slow@x.example\n",
            "    Delay reason: SMTP error after RCPT TO:<slow@x.example>:\n",
            "    452 4.2.2 Over quota\n",
            "  late@x.example\n\n",
            "Your message to gone@y.example failed."
        );
        let raw: Vec<&str> = text.lines().collect();
        let indents: Vec<usize> = raw.iter().map(|l| l.len() - l.trim_start().len()).collect();
        let lines: Vec<&str> = raw.iter().map(|l| l.trim_start()).collect();
        let low = text.to_lowercase();
        let lower: Vec<&str> = low.lines().map(str::trim_start).collect();
        let m = Markers::builtin();
        let at = |i| listed_under(&lines, &lower, &indents, i, 0, m);
        assert_eq!(at(2), Region::Delayed);
        assert_eq!(at(5), Region::Delayed, "past the first item's reasons");
        assert_eq!(at(7), Region::Statement, "the statement below the list");
    }

    #[test]
    fn footers_end_at_a_blank_line() {
        use Region::*;
        let text = "Thanks,\nJohn\n\nDelivery to gone@x.example failed.\n-- \nops@isp.example";
        assert_eq!(
            regions(text),
            vec![Footer, Footer, Statement, Statement, Footer, Footer]
        );
    }
}
