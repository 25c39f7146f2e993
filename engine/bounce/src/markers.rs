//! The data table of the non-standard strategy (`data/markers.txt`).

use std::ops::Deref;
use std::sync::OnceLock;

use aho_corasick::{AhoCorasick, AhoCorasickKind};

const MARKERS: &str = include_str!("../data/markers.txt");

/// One marker list with its automaton, so "does any phrase occur" reads
/// the text once instead of once per phrase (the lists are searched on
/// every line of every bounce: the hot path of the crate).
#[derive(Debug, Default)]
pub struct PhraseList {
    phrases: Vec<String>,
    /// `None` until built, or if the automaton cannot be built; then
    /// [`any_in`] falls back to one substring search per phrase.
    ac: Option<AhoCorasick>,
    /// The phrases' indices by their last byte, once built: a text ends
    /// with a phrase only where their last bytes agree, and the suffix
    /// tests (`address_context::is_sender_context`, asked of every address
    /// with every phrase) try only those.
    by_last: Vec<Vec<u16>>,
    /// The same by their first byte, lower-cased (header-field markers,
    /// compared with every field of every message).
    by_first: Vec<Vec<u16>>,
}

impl PhraseList {
    fn push(&mut self, phrase: String) {
        self.phrases.push(phrase);
    }

    /// The automaton, when it could be built.
    pub fn automaton(&self) -> Option<&AhoCorasick> {
        self.ac.as_ref()
    }

    fn build(&mut self) {
        self.ac = AhoCorasick::builder()
            .kind(Some(AhoCorasickKind::DFA))
            .build(&self.phrases)
            .ok();
        self.by_last = vec![Vec::new(); 256];
        self.by_first = vec![Vec::new(); 256];
        for (i, p) in self.phrases.iter().enumerate() {
            let Ok(i) = u16::try_from(i) else {
                continue;
            };
            let bytes = p.as_bytes();
            if let Some(bucket) = bytes
                .last()
                .and_then(|&b| self.by_last.get_mut(usize::from(b)))
            {
                bucket.push(i);
            }
            if let Some(bucket) = bytes
                .first()
                .and_then(|&b| self.by_first.get_mut(usize::from(b.to_ascii_lowercase())))
            {
                bucket.push(i);
            }
        }
    }

    /// The phrases that can start `text` ignoring ASCII case (those whose
    /// first byte, lower-cased, is its own; all of them before the list is
    /// built).
    pub fn starting(&self, text: &str) -> impl Iterator<Item = &str> {
        let first = text.as_bytes().first().map(u8::to_ascii_lowercase);
        self.bucket(&self.by_first, first)
    }

    /// The phrases that can end `text` (those ending in its last byte; all
    /// of them before the list is built).
    pub fn ending(&self, text: &str) -> impl Iterator<Item = &str> {
        self.bucket(&self.by_last, text.as_bytes().last().copied())
    }

    /// The phrases of `index`'s bucket for `byte`: none without a byte,
    /// every phrase while the list is unbuilt.
    fn bucket<'a>(
        &'a self,
        index: &'a [Vec<u16>],
        byte: Option<u8>,
    ) -> impl Iterator<Item = &'a str> {
        let built = !index.is_empty();
        let bucket: &[u16] = match byte {
            Some(b) if built => index.get(usize::from(b)).map_or(&[], Vec::as_slice),
            _ => &[],
        };
        let unbuilt = (!built && byte.is_some()).then_some(self.phrases.iter());
        bucket
            .iter()
            .filter_map(|&i| self.phrases.get(usize::from(i)))
            .chain(unbuilt.into_iter().flatten())
            .map(String::as_str)
    }
}

impl Deref for PhraseList {
    type Target = [String];
    fn deref(&self) -> &[String] {
        &self.phrases
    }
}

/// Phrase lists of the non-standard strategy, lower-cased.
#[derive(Debug, Default)]
pub struct Markers {
    /// From names/addresses of bounce generators.
    pub bounce_from: PhraseList,
    /// Bounce subjects.
    pub bounce_subject: PhraseList,
    /// Lines that open the error block.
    pub start: PhraseList,
    /// Fixed sentences of MTA bounce templates: as strong a bounce signal
    /// as a `From: MAILER-DAEMON` header, for bounce text without one.
    pub template: PhraseList,
    /// Lines that open the returned original message.
    pub original: PhraseList,
    /// Subject prefixes followed by the returned message's own subject.
    pub original_subject_prefix: PhraseList,
    /// Forward prefixes: what follows is the forwarded message's subject.
    pub forward_subject_prefix: PhraseList,
    /// Auto-reply subjects.
    pub autoreply_subject: PhraseList,
    /// Text right before a failed recipient.
    pub recipient_prefix: PhraseList,
    /// Text right before an address that is not a failed recipient.
    pub sender_prefix: PhraseList,
    /// Words after an address, in its sentence, telling it was reached
    /// ("a@x went through fine", "a@x 様には正常に配信されております").
    pub reached_after: PhraseList,
    /// A warning to a mailbox's owner that it is nearly full.
    pub quota_warning: PhraseList,
    /// Words that make a clause a contact sentence ("contact", "get in
    /// touch", "questions"): see `address_context::is_contact_context`.
    pub contact_word: PhraseList,
    /// The words a contact sentence ends with right before its address.
    pub contact_join: Vec<String>,
    /// The words right after an address that make it a contact (Japanese
    /// "までお問い合わせください").
    pub contact_suffix: Vec<String>,
    /// Words that, after the contact word, make the address the sentence's
    /// subject again ("contact the postmaster about the delivery to").
    pub contact_blocker: Vec<String>,
    /// A letter's closing ("Regards", "Mit freundlichen Grüßen"), a whole
    /// line: a signature follows.
    pub closing: Vec<String>,
    /// Words of a team's name ("The Mail Team", "Customer Care"): an
    /// address after such a name alone on its line signs the report.
    pub team_word: Vec<String>,
    /// Providers whose own reports name their users by bare mailbox names
    /// (AOL's screen names): see `screen_names`.
    pub bare_name_domain: Vec<String>,
    /// The verb of a reply's attribution line ("On …, Jo <jo@x> wrote:",
    /// "Op … schreef Jo (jo@x):"), a whole word: the address there wrote
    /// the quoted text and failed nowhere.
    pub attribution: PhraseList,
    /// A sender's own account of its mail to an address bouncing over
    /// time ("have been bouncing since 16 August", "we've paused all
    /// notifications"): a service telling its user, no report of ours.
    pub bouncing_notice: PhraseList,
    /// The word of a mail client's heading over a reply's quoted original
    /// ("----- Original Message -----", "-----Ursprungligt meddelande-----").
    pub original_heading: PhraseList,
    /// A mail client's line over a message forwarded inline ("Begin
    /// forwarded message:"): the header block below it is that message's.
    pub forward_opener: PhraseList,
    /// Wording that puts a refusal at the sender stage (the classifier
    /// turns recipient-side statuses into a rejection).
    pub sender_stage: PhraseList,
    /// Wording that puts a refusal after the message was sent (`DATA`):
    /// the recipients were taken, so a bare code names no mailbox.
    pub data_stage: PhraseList,
    /// Auto-reply wording in a body.
    pub autoreply_body: PhraseList,
    /// Challenge-response requests.
    pub challenge: PhraseList,
    /// A request to click or confirm, which sign-up and account mail (and
    /// phishing) make too: a challenge only beside a `challenge` phrase or
    /// a challenge system's name.
    pub challenge_ask: PhraseList,
    /// Challenge systems' names ("boxbe", "spam arrest"): talk about them
    /// names them too, so alone they count only in the sender.
    pub challenge_product: PhraseList,
    /// Anti-virus and content-filter notices.
    pub content_filter: PhraseList,
    /// Mailing-list manager notices (held, moderation).
    pub list_owner: PhraseList,
    /// Delay warnings.
    pub delay: PhraseList,
    /// Headers of a mixed report's list of recipients still being tried
    /// (Sendmail's "had transient non-fatal errors"): see `regions.rs`.
    pub delay_section: PhraseList,
    /// Wording of a permanent failure, which a delay warning never has.
    pub permanent: PhraseList,
    /// Statements that only a delay warning makes ("this is a warning
    /// only", "you do not need to resend"); they outweigh permanent wording
    /// (Postfix's warning says the message "could not be delivered for more
    /// than 4 hours").
    pub delay_certain: PhraseList,
    /// A warning's statement that the retries go on ("It will be retried
    /// until it is 5 day(s) old"): its recipients are still tried even
    /// where each was refused with a 5xx (Postfix retries a 5xx greeting).
    pub retrying: PhraseList,
    /// Reply and forward prefixes of a subject ("re", "fwd"), whole words.
    pub reply_prefix: PhraseList,
    /// Header field names (with colon) or name prefixes that lists and
    /// trackers add and bounces never have.
    pub ordinary_header: PhraseList,
    /// Delivery receipts ("your message has been delivered to"): a success
    /// report names its recipients too, and must never fail them.
    pub success: PhraseList,
    /// Whole-line headings of a list of recipients reached ("Delivered:",
    /// "RELAYED (2):"): a word that alone in a sentence says nothing.
    pub success_heading: PhraseList,
    /// Labels of a forward target's field ("転送先 : b@x"): see
    /// `expanded::forward_targets`.
    pub forward_target: PhraseList,
    /// Sentences an MTA writes only when its queue lifetime ran out
    /// (Sendmail's "Message will be deleted from queue"): the text form of
    /// the `4.4.7` its DSN would carry.
    pub gave_up: PhraseList,
    /// Refusals that last only for a time (a rate limit, too many
    /// connections, greylisting): retried to the queue's end, their
    /// outcome is the resend timeout (`Classified::after`).
    pub time_bound: PhraseList,
    /// An MTA's word for a soft failure where no code is given: with the
    /// message queued past a lifetime, the verdict is a resend timeout.
    pub transient: PhraseList,
    /// "This is an automatically generated message" in its languages: a
    /// mail system's line above its template sentence.
    pub automatic: PhraseList,
    /// A reply's words that say only that delivery failed ("554 5.0.0
    /// Delivery failed", "550 Requested action not taken"): with no cause
    /// named, its basic code is no cause either.
    pub no_cause: PhraseList,
    /// The message refused with no reason ("550 Message rejected"): under
    /// a bare 550 or 554, no cause either.
    pub no_cause_refusal: PhraseList,
}

impl Markers {
    /// Parses the section format; unknown sections are ignored so newer data
    /// files stay loadable by older code.
    pub fn parse(text: &str) -> Markers {
        let mut m = Markers::default();
        let mut section = String::new();
        for line in text.lines() {
            let t = line.trim();
            if t.is_empty() || t.starts_with('#') {
                continue;
            }
            if t.starts_with('[') && t.ends_with(']') {
                section = t.trim_matches(['[', ']']).to_string();
                continue;
            }
            let v = t.to_lowercase();
            // Word lists, compared whole: no automaton, no spellings.
            if section == "contact-word" {
                m.contact_word.push(v);
                continue;
            }
            let words = match section.as_str() {
                "contact-join" => Some(&mut m.contact_join),
                "contact-suffix" => Some(&mut m.contact_suffix),
                "contact-blocker" => Some(&mut m.contact_blocker),
                "closing" => Some(&mut m.closing),
                "team-word" => Some(&mut m.team_word),
                "bare-name-domain" => Some(&mut m.bare_name_domain),
                _ => None,
            };
            if let Some(words) = words {
                words.push(v);
                continue;
            }
            let list = match section.as_str() {
                "bounce-from" => &mut m.bounce_from,
                "bounce-subject" => &mut m.bounce_subject,
                "start" => &mut m.start,
                "template" => &mut m.template,
                "original" => &mut m.original,
                "original-subject-prefix" => &mut m.original_subject_prefix,
                "forward-subject-prefix" => &mut m.forward_subject_prefix,
                "autoreply-subject" => &mut m.autoreply_subject,
                "recipient-prefix" => &mut m.recipient_prefix,
                "sender-prefix" => &mut m.sender_prefix,
                "reached-after" => &mut m.reached_after,
                "quota-warning" => &mut m.quota_warning,
                "sender-stage" => &mut m.sender_stage,
                "data-stage" => &mut m.data_stage,
                "autoreply-body" => &mut m.autoreply_body,
                "challenge" => &mut m.challenge,
                "challenge-ask" => &mut m.challenge_ask,
                "challenge-product" => &mut m.challenge_product,
                "content-filter" => &mut m.content_filter,
                "list-owner" => &mut m.list_owner,
                "delay" => &mut m.delay,
                "permanent" => &mut m.permanent,
                "delay-certain" => &mut m.delay_certain,
                "retrying" => &mut m.retrying,
                "delay-section" => &mut m.delay_section,
                "success" => &mut m.success,
                "success-heading" => &mut m.success_heading,
                "forward-target" => &mut m.forward_target,
                "reply-prefix" => &mut m.reply_prefix,
                "ordinary-header" => &mut m.ordinary_header,
                "gave-up" => &mut m.gave_up,
                "time-bound" => &mut m.time_bound,
                "transient" => &mut m.transient,
                "automatic" => &mut m.automatic,
                "no-cause" => &mut m.no_cause,
                "no-cause-refusal" => &mut m.no_cause_refusal,
                "attribution" => &mut m.attribution,
                "bouncing-notice" => &mut m.bouncing_notice,
                "original-heading" => &mut m.original_heading,
                "forward-opener" => &mut m.forward_opener,
                _ => continue,
            };
            // Every spelling of the phrase ("couldn't" and "could not"),
            // so that the text searched need not be folded.
            for spelled in crate::spelling::spellings_of(&v) {
                list.push(spelled);
            }
        }
        for list in [
            &mut m.bounce_from,
            &mut m.bounce_subject,
            &mut m.start,
            &mut m.template,
            &mut m.original,
            &mut m.original_subject_prefix,
            &mut m.forward_subject_prefix,
            &mut m.autoreply_subject,
            &mut m.recipient_prefix,
            &mut m.sender_prefix,
            &mut m.reached_after,
            &mut m.quota_warning,
            &mut m.sender_stage,
            &mut m.data_stage,
            &mut m.autoreply_body,
            &mut m.challenge,
            &mut m.challenge_ask,
            &mut m.challenge_product,
            &mut m.content_filter,
            &mut m.list_owner,
            &mut m.delay,
            &mut m.permanent,
            &mut m.delay_certain,
            &mut m.retrying,
            &mut m.delay_section,
            &mut m.success,
            &mut m.reply_prefix,
            &mut m.ordinary_header,
            &mut m.attribution,
            &mut m.bouncing_notice,
            &mut m.original_heading,
            &mut m.forward_opener,
            &mut m.gave_up,
            &mut m.time_bound,
            &mut m.transient,
            &mut m.automatic,
            &mut m.no_cause,
            &mut m.no_cause_refusal,
            &mut m.contact_word,
        ] {
            list.build();
        }
        m
    }

    /// The shipped table, parsed once.
    pub fn builtin() -> &'static Markers {
        static M: OnceLock<Markers> = OnceLock::new();
        M.get_or_init(|| Markers::parse(MARKERS))
    }
}

/// True if any phrase of `list` occurs in `hay` (already lower-cased).
pub fn any_in(list: &PhraseList, hay: &str) -> bool {
    match &list.ac {
        Some(ac) => ac.is_match(hay),
        None => list.phrases.iter().any(|p| hay.contains(p.as_str())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_sections_are_filled() {
        let m = Markers::builtin();
        assert!(!m.start.is_empty() && !m.original.is_empty() && !m.bounce_subject.is_empty());
        assert!(!m.original_subject_prefix.is_empty());
        assert!(!m.template.is_empty() && !m.sender_stage.is_empty());
        assert!(!m.autoreply_subject.is_empty() && !m.recipient_prefix.is_empty());
        assert!(!m.challenge.is_empty() && !m.content_filter.is_empty());
        assert!(!m.list_owner.is_empty() && !m.delay.is_empty() && !m.permanent.is_empty());
        assert!(!m.delay_certain.is_empty() && !m.success.is_empty());
        assert!(!m.delay_section.is_empty());
        assert!(!m.reply_prefix.is_empty() && !m.ordinary_header.is_empty());
        assert!(!m.contact_word.is_empty() && !m.contact_join.is_empty());
        assert!(!m.contact_blocker.is_empty() && !m.closing.is_empty());
        assert!(!m.team_word.is_empty() && !m.attribution.is_empty());
        assert!(!m.contact_suffix.is_empty());
    }

    #[test]
    fn automaton_agrees_with_substring_search() {
        let mut l = PhraseList::default();
        l.push("delivery failed".into());
        l.push("returned mail".into());
        assert!(any_in(&l, "x returned mail y"), "fallback");
        l.build();
        assert!(l.ac.is_some());
        assert!(any_in(&l, "x returned mail y"));
        assert!(any_in(&l, "delivery failed"));
        assert!(!any_in(&l, "delivery fail"));
    }
}
