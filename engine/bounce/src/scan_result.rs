//! What the non-standard strategy (`nonstd`) found in a report's text:
//! its candidate recipients with their paragraphs, and the text's parts the
//! later decisions read (the error block's head, the returned copy's start,
//! the recipients listed as still tried).

/// A failed recipient found in the text, before classification.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Candidate {
    /// Canonical address.
    pub recipient: String,
    /// The paragraph(s) about it.
    pub diagnostic: String,
    /// The whole error block, for classification when the paragraph is mute.
    pub context: String,
    /// The recipient's own paragraphs among those of `diagnostic`: not
    /// the text read on from an address alone nor the block's (which may
    /// hold a footer's or another recipient's words). Empty when it has
    /// none. Its words vote for a cause (`cause_votes`).
    pub own_text: String,
    /// The heading of the list it is an item of, when it has no words of
    /// its own ("The following mailboxes are full:" / "    a@x").
    pub heading: String,
}

/// What the strategy found, and how sure it is.
#[derive(Debug, Default)]
pub struct Found {
    /// Recipients in order of appearance.
    pub candidates: Vec<Candidate>,
    /// A start-of-error-block marker was seen.
    pub has_start: bool,
    /// Recipients were found in a reliable position (own line, prefix, header).
    pub strong: bool,
    /// The error block quotes an SMTP reply or enhanced code.
    pub has_codes: bool,
    /// A reply or enhanced code where a server's reply stands, in the
    /// sender's own lines (`codes::reply_stated`): a phone number's or a
    /// version's digits are no reply.
    pub states_reply: bool,
    /// `To` of an original inlined as text after the error block.
    pub inline_to: Vec<String>,
    /// `Message-ID` of an original inlined as text.
    pub inline_message_id: Option<String>,
    /// The error block (everything before the returned original), lower
    /// case: where notice wording counts. The original is the sender's own
    /// text and may say anything ("confirm your subscription").
    pub head: String,
    /// Where in `head` the lines a reply quotes (`> …`) stand, when the
    /// text quotes some lines and not others (empty: nothing set apart).
    pub quoted_spans: Vec<(usize, usize)>,
    /// Every recipient stands on a quoted line (`> …`) of a text that
    /// writes lines of its own too: the answered message's failure, not
    /// this one's (a postmaster's "RE:" quoting the user's bounce).
    pub only_quoted: bool,
    /// The line opening the returned original (lower case, may be empty):
    /// the MTA's own, so a template sentence there counts (IMail).
    pub opener: String,
    /// Addresses a section lists as still being tried ("had transient
    /// non-fatal errors"): not failed, and never candidates.
    pub delayed: Vec<String>,
    /// `head` without the lists of recipients reached or still tried, when
    /// the text has any (`None`: the same as `head`): where a cause stated
    /// above the failures is looked for.
    pub statement: Option<String>,
    /// Recipients each named in its own failure sentence ("delivery to a@x
    /// failed because …"), wherever they stand.
    pub told: Vec<String>,
}
