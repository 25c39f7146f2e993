//! Causes named by a subject and what is said of it, in scripts written
//! without spaces between words.
//!
//! [`crate::cause_words`] finds "the mailbox … is full" word by word, which
//! needs spaces. Japanese and Chinese have none, and Korean joins its
//! particles to the words (`사용자를`), so the same search is made here on
//! characters: a cause from `data/cause_chars.txt` standing a few characters
//! after a subject, in one sentence. Only texts with non-ASCII characters are
//! searched.

use crate::status::ErrorStatus;
use std::sync::OnceLock;

const CAUSE_CHARS: &str = include_str!("../data/cause_chars.txt");

/// Most characters between the end of a subject and the start of its
/// cause ("宛先のメールアドレスが" + "存在しません": the particle and a word
/// or two of filler).
const MAX_GAP: usize = 12;

/// Most characters between a cause said before its subject and the
/// subject ("无效的" + "收件人": one particle; "가득 찬 " + "메일함": a
/// Korean adnominal ending and a space).
const MAX_BEFORE_GAP: usize = 3;

/// Characters that end a sentence.
const SENTENCE_END: [char; 5] = ['。', '．', '！', '？', '\n'];

/// One `cause` line of the data file.
#[derive(Debug)]
pub(crate) struct Cause {
    pub(crate) status: ErrorStatus,
    subjects: usize,
    words: Vec<String>,
    /// What the line says, for `Classifier::explain`.
    pub(crate) describe: String,
}

#[derive(Debug, Default)]
pub(crate) struct CauseChars {
    subject_sets: Vec<(String, Vec<String>)>,
    pub(crate) causes: Vec<Cause>,
    /// Every subject word of every set, found in one pass over a text.
    subjects: Option<aho_corasick::AhoCorasick>,
    /// Per pattern of `subjects`: its set and its length in bytes.
    subject_of: Vec<(usize, usize)>,
    /// Every word of every cause, searched in one pass over a subject's
    /// window (a search per word built a searcher per word and subject
    /// found: most of the parse of a non-ASCII report).
    cause_words: Option<aho_corasick::AhoCorasick>,
    /// Per pattern of `cause_words`: its cause line and that line's set.
    cause_of: Vec<(usize, usize)>,
}

/// A cause found: the index of its `cause` line and where the subject
/// starts (a byte offset in the text searched).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Found {
    pub(crate) cause: usize,
    pub(crate) start: usize,
}

fn list(text: &str) -> Vec<String> {
    text.split('|')
        .map(|w| w.trim().to_owned())
        .filter(|w| !w.is_empty())
        .collect()
}

impl CauseChars {
    /// The built-in lists, parsed once per process.
    pub(crate) fn builtin() -> &'static CauseChars {
        static BUILTIN: OnceLock<CauseChars> = OnceLock::new();
        BUILTIN.get_or_init(|| CauseChars::parse(CAUSE_CHARS))
    }

    /// Lines it cannot read are left out (the shipped file is checked by a
    /// test).
    fn parse(text: &str) -> CauseChars {
        let mut out = CauseChars::default();
        for line in text.lines().map(str::trim) {
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let Some((head, words)) = line.split_once('=') else {
                continue;
            };
            let head: Vec<&str> = head.split_whitespace().collect();
            match head.as_slice() {
                ["subjects", name] => out.subject_sets.push(((*name).to_owned(), list(words))),
                ["cause", status, name] => {
                    let status = status.parse::<u8>().ok().and_then(ErrorStatus::from_u8);
                    let subjects = out.subject_sets.iter().position(|(n, _)| n == name);
                    if let (Some(status), Some(subjects)) = (status, subjects) {
                        out.causes.push(Cause {
                            status,
                            subjects,
                            words: list(words),
                            describe: format!("[{name}] {}", words.trim()),
                        });
                    }
                }
                _ => {}
            }
        }
        let words = out
            .subject_sets
            .iter()
            .enumerate()
            .flat_map(|(set, (_, words))| words.iter().map(move |w| (set, w)));
        out.subject_of = words.clone().map(|(set, w)| (set, w.len())).collect();
        out.subjects = aho_corasick::AhoCorasick::new(words.map(|(_, w)| w)).ok();
        let causes = out
            .causes
            .iter()
            .enumerate()
            .flat_map(|(idx, c)| c.words.iter().map(move |w| (idx, c.subjects, w)));
        out.cause_of = causes.clone().map(|(idx, set, _)| (idx, set)).collect();
        out.cause_words = aho_corasick::AhoCorasick::new(causes.map(|(_, _, w)| w)).ok();
        out
    }

    /// Every cause word of `set` in `window`: (start, end, cause line), each
    /// occurrence of each word (overlapping ones too).
    fn causes_in<'a>(
        &'a self,
        window: &'a str,
        set: usize,
    ) -> impl Iterator<Item = (usize, usize, usize)> + 'a {
        self.cause_words
            .iter()
            .flat_map(move |ac| ac.find_overlapping_iter(window))
            .filter_map(move |hit| {
                let &(idx, of) = self.cause_of.get(hit.pattern().as_usize())?;
                (of == set).then_some((hit.start(), hit.end(), idx))
            })
    }

    /// The cause said of the first subject (in text order; the longest
    /// subject where two start together) that has one, unless a subject of
    /// another kind stands between it and that cause: the nearer subject is
    /// what the cause is said of ("宛先のドメイン名が見つかりません": the
    /// domain was not found, not the recipient).
    pub(crate) fn find(&self, norm: &str) -> Option<Found> {
        if norm.is_ascii() {
            return None;
        }
        // (start, subject length, set) of every subject in the text: each
        // word's occurrences as `match_indices` gives them (one after the
        // other, none overlapping the one before), all words in one pass.
        let mut subjects: Vec<(usize, usize, usize)> = Vec::new();
        let mut next_from = vec![0; self.subject_of.len()];
        let hits = self
            .subjects
            .iter()
            .flat_map(|ac| ac.find_overlapping_iter(norm));
        for hit in hits {
            let p = hit.pattern().as_usize();
            let (Some(&(set, len)), Some(from)) = (self.subject_of.get(p), next_from.get_mut(p))
            else {
                continue;
            };
            if hit.start() >= *from {
                *from = hit.end();
                subjects.push((hit.start(), len, set));
            }
        }
        subjects.sort_by_key(|&(at, len, set)| (at, std::cmp::Reverse(len), set));
        let mut best: Option<(usize, Found)> = None;
        for &(at, len, set) in &subjects {
            if best.is_some_and(|(cause_at, _)| at >= cause_at) {
                break;
            }
            if let Some((cause_at, found)) = self.said_after(norm, at, at + len, set) {
                // Another kind of noun between them is what the cause is
                // said of, whether or not the tables give it that cause
                // ("宛先のメールサーバーが停止している": the recipient's mail
                // server stopped, not the recipient).
                let nearer = subjects
                    .iter()
                    .any(|&(a, _, s)| s != set && a >= at + len && a < cause_at);
                if !nearer && best.is_none_or(|(b, _)| cause_at <= b) {
                    best = Some((cause_at, found));
                }
            }
        }
        best.map(|(_, found)| found).or_else(|| {
            // A cause said right before its subject, as a modifier
            // ("无效的收件人地址", "가득 찬 메일함", "存在しないアドレス").
            subjects
                .iter()
                .find_map(|&(at, _, set)| self.said_before(norm, at, set))
        })
    }

    /// A cause ending at most [`MAX_BEFORE_GAP`] characters before the
    /// subject starting at `start` (a particle: 的, な, の, a Korean
    /// adnominal ending), in the same sentence.
    fn said_before(&self, norm: &str, start: usize, set: usize) -> Option<Found> {
        let before = norm.get(..start)?;
        // The window: the characters before the subject back to the
        // sentence's start, at most the longest cause and the gap.
        let mut from = start;
        for (n, (i, c)) in before.char_indices().rev().enumerate() {
            if SENTENCE_END.contains(&c) || n >= MAX_GAP + MAX_BEFORE_GAP {
                break;
            }
            from = i;
        }
        let window = norm.get(from..start)?;
        // The nearest occurrence of each word is its last: every occurrence
        // is looked at, the least gap kept.
        self.causes_in(window, set)
            .filter_map(|(_, end, idx)| {
                let gap = window.get(end..)?.chars().count();
                (gap <= MAX_BEFORE_GAP).then_some((gap, idx))
            })
            .min()
            .map(|(_, cause)| Found { cause, start })
    }

    /// The nearest cause standing within [`MAX_GAP`] characters after the
    /// subject ending at `end`, in the same sentence, and where it starts.
    fn said_after(
        &self,
        norm: &str,
        start: usize,
        end: usize,
        set: usize,
    ) -> Option<(usize, Found)> {
        let rest = norm.get(end..)?;
        // The window: MAX_GAP characters for the cause to start in, and as
        // many again for the cause itself, cut at the sentence's end; never
        // the rest of a long text (a search per subject found).
        // A run of ASCII letters and signs counts as one character: the
        // domain or address a notice puts between the subject and its
        // cause ("宛先ドメイン (nodomain.example) が見つかりません",
        // "收件人域名 x.example 不存在") is one word of the sentence.
        let mut limit = rest.len();
        let mut window = rest.len();
        let (mut n, mut in_run) = (0, false);
        for (i, c) in rest.char_indices() {
            if SENTENCE_END.contains(&c) {
                limit = limit.min(i);
                window = i;
                break;
            }
            let run = c.is_ascii_graphic();
            if run && in_run {
                continue;
            }
            in_run = run;
            if n == MAX_GAP + 1 {
                limit = i;
            }
            if n == 2 * (MAX_GAP + 1) {
                window = i;
                break;
            }
            n += 1;
        }
        let sentence = rest.get(..window)?;
        self.causes_in(sentence, set)
            .map(|(at, _, idx)| (at, idx))
            .filter(|&(at, _)| at <= limit)
            .min()
            .map(|(at, cause)| (end + at, Found { cause, start }))
    }
}

#[cfg(test)]
mod tests {
    use super::CauseChars;
    use crate::status::ErrorStatus;

    fn status(text: &str) -> Option<ErrorStatus> {
        let cc = CauseChars::builtin();
        cc.find(text)
            .and_then(|f| cc.causes.get(f.cause))
            .map(|c| c.status)
    }

    #[test]
    fn shipped_file_is_read_whole() {
        let cc = CauseChars::builtin();
        let lines = super::CAUSE_CHARS
            .lines()
            .filter(|l| l.starts_with("cause "))
            .count();
        assert_eq!(cc.causes.len(), lines, "a cause line was not understood");
    }

    #[test]
    fn subject_and_cause_in_one_sentence() {
        use ErrorStatus::*;
        let cases = [
            ("ユーザーが見つかりません", Some(UnknownUser)),
            ("このメールアドレスは現在使われておりません", Some(UnknownUser)),
            ("メールボックスに空き容量がありません", Some(OverCapacity)),
            ("ドメイン名が見つかりません", Some(UnknownHost)),
            ("用户不存在", Some(UnknownUser)),
            ("邮箱已满", Some(OverCapacity)),
            ("사용자를 찾을 수 없습니다", Some(UnknownUser)),
            ("メッセージのサイズが大きすぎます", Some(Oversize)),
            // Another sentence, or too far.
            ("ユーザーへの配送を試みました。見つかりません", None),
            ("ユーザーからのお問い合わせについては、担当者がすぐに確認いたしますが見つかりません", None),
            ("plain ascii user not found", None),
        ];
        for (text, want) in cases {
            assert_eq!(status(text), want, "{text:?}");
        }
    }

    #[test]
    fn a_cause_before_its_subject_counts_when_none_follows() {
        use ErrorStatus::*;
        for (text, want) in [
            ("无效的收件人地址", Some(UnknownUser)),
            ("가득 찬 메일함으로 전송할 수 없습니다", Some(OverCapacity)),
            ("존재하지 않는 받는 사람입니다", Some(UnknownUser)),
            // Too far before, or another sentence.
            ("无效。收件人地址", None),
        ] {
            assert_eq!(status(text), want, "{text:?}");
        }
    }

    #[test]
    fn the_nearer_subject_takes_the_cause() {
        use ErrorStatus::*;
        for (text, want) in [
            ("宛先のドメイン名が見つかりませんでした", UnknownHost),
            ("收件人域名无法解析", UnknownHost),
            ("宛先のメールアドレスのドメインが存在しません", UnknownHost),
            // One subject, or the nearer one without a cause: the first's.
            ("宛先のメールアドレスが見つかりません", UnknownUser),
            ("受信者のメールボックスがいっぱいです", OverCapacity),
        ] {
            assert_eq!(status(text), Some(want), "{text:?}");
        }
    }
}
