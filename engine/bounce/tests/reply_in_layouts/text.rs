//! The text helpers of `perturb/embed_replies.py` ported without a regex
//! engine: its address placeholders (`EMAIL`), the enhanced code a DSN's
//! `Status:` field takes (`ENH`), and Python's `textwrap.wrap`, which the
//! wrapped Postfix and multi-line layouts fold their lines with. Each follows
//! the Python semantics (greedy matching with its backtracking, code points
//! rather than bytes) so that the reports are the script's byte for byte.

/// Python's `\w`: a letter, a digit or `_`.
fn word(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// The address pattern's local part, `[\w.+'=-]`.
fn local_char(c: char) -> bool {
    word(c) || ".+'=-".contains(c)
}

/// The address pattern's domain labels, `[\w-]`.
fn label_char(c: char) -> bool {
    word(c) || c == '-'
}

/// The end of `[\w-]+(?:\.[\w-]+)+` matched greedily at `at`, if it matches.
fn domain_end(t: &[char], at: usize) -> Option<usize> {
    let run = |from: usize| {
        t[from.min(t.len())..]
            .iter()
            .take_while(|c| label_char(**c))
            .count()
    };
    let mut end = at + run(at);
    if end == at {
        return None;
    }
    let mut labels = 0;
    while end < t.len() && t[end] == '.' && run(end + 1) > 0 {
        end += 1 + run(end + 1);
        labels += 1;
    }
    (labels > 0).then_some(end)
}

/// The addresses of `t` (`[\w.+'=-]+@[\w-]+(?:\.[\w-]+)+`) as code point
/// ranges, leftmost first as `re.sub` finds them. A local part is the whole
/// run of local characters before the `@` (a shorter one would be followed
/// by a local character, not the `@`), so each run is tried once.
fn addresses(t: &[char]) -> Vec<(usize, usize)> {
    let mut found = Vec::new();
    let mut i = 0;
    while i < t.len() {
        if !local_char(t[i]) {
            i += 1;
            continue;
        }
        let at = i + t[i..].iter().take_while(|c| local_char(**c)).count();
        if at < t.len() && t[at] == '@' {
            if let Some(end) = domain_end(t, at + 1) {
                found.push((i, end));
                i = end;
                continue;
            }
        }
        i = at;
    }
    found
}

/// `placeholders()`: the reply's addresses made the layout's: the sender's
/// where the 40 characters before it say "from" or "sender" (`MAIL
/// FROM:<a>`, "sender address a"), a forwarding target after "try", else the
/// recipient.
pub fn placeholders(reply: &str) -> String {
    let t: Vec<char> = reply.chars().collect();
    let mut out = String::new();
    let mut last = 0;
    for (start, end) in addresses(&t) {
        let before: String = t[start.saturating_sub(40)..start].iter().collect();
        let before = before.to_lowercase();
        let addr = if before.contains("from") || before.contains("sender") {
            "app@sender.example"
        } else if before.contains("try") {
            "new@other.example"
        } else {
            super::layouts::ADDR
        };
        out.extend(&t[last..start]);
        out.push_str(addr);
        last = end;
    }
    out.extend(&t[last..]);
    out
}

/// The length of the run of ASCII digits at `at`.
fn digits(t: &[char], at: usize) -> usize {
    t[at.min(t.len())..]
        .iter()
        .take_while(|c| c.is_ascii_digit())
        .count()
}

/// `status_of()`: the reply's first enhanced code
/// (`(?<![\d.])[245]\.\d{1,3}\.\d{1,3}(?![\d.])`), else `4.0.0` for a reply
/// starting with 4 and `5.0.0` for any other.
pub fn status_of(reply: &str) -> String {
    let t: Vec<char> = reply.chars().collect();
    let dot_or_digit = |c: char| c == '.' || c.is_ascii_digit();
    for i in 0..t.len() {
        if !matches!(t[i], '2' | '4' | '5') || (i > 0 && dot_or_digit(t[i - 1])) {
            continue;
        }
        if t.get(i + 1) != Some(&'.') {
            continue;
        }
        let a = digits(&t, i + 2);
        if !(1..=3).contains(&a) || t.get(i + 2 + a) != Some(&'.') {
            continue;
        }
        let b = digits(&t, i + 3 + a);
        let end = i + 3 + a + b;
        if (1..=3).contains(&b) && !t.get(end).is_some_and(|c| dot_or_digit(*c)) {
            return t[i..end].iter().collect();
        }
    }
    if reply.trim_start().starts_with('4') {
        "4.0.0".into()
    } else {
        "5.0.0".into()
    }
}

/// Python's `str.isspace`.
fn space(c: char) -> bool {
    c.is_whitespace() || ('\x1c'..='\x1f').contains(&c)
}

/// textwrap's own whitespace, `[\t\n\x0b\x0c\r ]`.
fn wrap_space(c: char) -> bool {
    "\t\n\x0b\x0c\r ".contains(c)
}

/// textwrap's `letter`, `[^\d\W]`.
fn letter(c: char) -> bool {
    word(c) && !c.is_numeric()
}

/// textwrap's `word_punct`, `[\w!"'&.,?]`.
fn word_punct(c: char) -> bool {
    word(c) || "!\"'&.,?".contains(c)
}

/// Python's `textwrap.TextWrapper` with the options the script uses
/// (`expand_tabs`, `replace_whitespace` and `drop_whitespace` at their
/// defaults, no `max_lines`).
pub struct Wrapper<'a> {
    pub width: usize,
    pub initial_indent: &'a str,
    pub subsequent_indent: &'a str,
    pub break_long_words: bool,
    pub break_on_hyphens: bool,
}

impl Wrapper<'_> {
    /// `textwrap.wrap(text, width)` with every other option at its default.
    pub fn plain(width: usize) -> Wrapper<'static> {
        Wrapper {
            width,
            initial_indent: "",
            subsequent_indent: "",
            break_long_words: true,
            break_on_hyphens: true,
        }
    }

    /// `wrap()`: the folded lines.
    pub fn wrap(&self, text: &str) -> Vec<String> {
        let t = munge_whitespace(text);
        let chunks = if self.break_on_hyphens {
            split_hyphens(&t)
        } else {
            split_simple(&t)
        };
        self.wrap_chunks(chunks)
    }

    /// `_wrap_chunks()`.
    fn wrap_chunks(&self, mut chunks: Vec<Vec<char>>) -> Vec<String> {
        let blank = |c: &[char]| c.iter().all(|c| space(*c));
        let mut lines: Vec<String> = Vec::new();
        chunks.reverse();
        while !chunks.is_empty() {
            let mut cur: Vec<Vec<char>> = Vec::new();
            let mut cur_len = 0;
            let indent = if lines.is_empty() {
                self.initial_indent
            } else {
                self.subsequent_indent
            };
            let width = self.width.saturating_sub(indent.chars().count());
            if !lines.is_empty() && chunks.last().is_some_and(|c| blank(c)) {
                chunks.pop();
            }
            while let Some(c) = chunks.last() {
                if cur_len + c.len() > width {
                    break;
                }
                cur_len += c.len();
                cur.extend(chunks.pop());
            }
            if chunks.last().is_some_and(|c| c.len() > width) {
                self.handle_long_word(&mut chunks, &mut cur, cur_len, width);
            }
            if cur.last().is_some_and(|c| blank(c)) {
                cur.pop();
            }
            if !cur.is_empty() {
                let body: String = cur.iter().flatten().collect();
                lines.push(format!("{indent}{body}"));
            }
        }
        lines
    }

    /// `_handle_long_word()`.
    fn handle_long_word(
        &self,
        chunks: &mut Vec<Vec<char>>,
        cur: &mut Vec<Vec<char>>,
        cur_len: usize,
        width: usize,
    ) {
        let space_left = if width < 1 { 1 } else { width - cur_len };
        if self.break_long_words {
            let Some(chunk) = chunks.pop() else { return };
            let mut end = space_left;
            if self.break_on_hyphens && chunk.len() > space_left {
                let hyphen = chunk[..space_left].iter().rposition(|c| *c == '-');
                if let Some(h) = hyphen.filter(|h| *h > 0) {
                    if chunk[..h].iter().any(|c| *c != '-') {
                        end = h + 1;
                    }
                }
            }
            let end = end.min(chunk.len());
            cur.push(chunk[..end].to_vec());
            chunks.push(chunk[end..].to_vec());
        } else if cur.is_empty() {
            cur.extend(chunks.pop());
        }
    }
}

/// `_munge_whitespace()`: tabs expanded to 8 columns, then each of
/// textwrap's whitespace characters made a space.
fn munge_whitespace(text: &str) -> Vec<char> {
    let mut out = Vec::new();
    let mut col = 0;
    for c in text.chars() {
        match c {
            '\t' => {
                let n = 8 - col % 8;
                out.extend(std::iter::repeat_n(' ', n));
                col += n;
            }
            '\n' | '\r' => {
                out.push(' ');
                col = 0;
            }
            _ => {
                out.push(if wrap_space(c) { ' ' } else { c });
                col += 1;
            }
        }
    }
    out
}

/// `wordsep_simple_re.split()`: runs of whitespace and of the rest.
fn split_simple(t: &[char]) -> Vec<Vec<char>> {
    let mut chunks = Vec::new();
    let mut p = 0;
    while p < t.len() {
        let ws = wrap_space(t[p]);
        let n = t[p..].iter().take_while(|c| wrap_space(**c) == ws).count();
        chunks.push(t[p..p + n].to_vec());
        p += n;
    }
    chunks
}

/// `wordsep_re.split()`: whitespace runs, em-dashes between words, and
/// words, a hyphenated word split after its hyphens.
fn split_hyphens(t: &[char]) -> Vec<Vec<char>> {
    let n = t.len();
    let at = |i: usize| t.get(i).copied();
    let is = |i: usize, f: fn(char) -> bool| at(i).is_some_and(f);
    let dashes = |i: usize| t[i.min(n)..].iter().take_while(|c| **c == '-').count();
    // `-{2,}\w` at `i`.
    let em_dash = |i: usize| {
        let d = dashes(i);
        d >= 2 && is(i + d, word)
    };
    // `-(?:(?<=lt{2}-)|(?<=lt-lt-))(?=lt-?lt)` at `q`.
    let hyphen = |q: usize| {
        at(q) == Some('-')
            && ((q >= 2 && is(q - 2, letter) && is(q - 1, letter))
                || (q >= 3 && is(q - 3, letter) && at(q - 2) == Some('-') && is(q - 1, letter)))
            && is(q + 1, letter)
            && (is(q + 2, letter) || (at(q + 2) == Some('-') && is(q + 3, letter)))
    };
    let mut chunks = Vec::new();
    let mut p = 0;
    while p < n {
        let end = if wrap_space(t[p]) {
            p + t[p..].iter().take_while(|c| wrap_space(**c)).count()
        } else if p > 0 && is(p - 1, word_punct) && em_dash(p) {
            p + dashes(p)
        } else {
            let mut q = p + 1;
            loop {
                if hyphen(q) {
                    break q + 1;
                }
                if q == n || wrap_space(t[q]) {
                    break q;
                }
                if is(q - 1, word_punct) && em_dash(q) {
                    break q;
                }
                q += 1;
            }
        };
        chunks.push(t[p..end].to_vec());
        p = end;
    }
    chunks
}

/// `wrapped()`: `text` folded at word boundaries the way Postfix folds its
/// report lines and DSN fields (78 columns, long words kept whole).
pub fn wrapped(text: &str, first: &str, rest: &str) -> String {
    Wrapper {
        width: 78,
        initial_indent: first,
        subsequent_indent: rest,
        break_long_words: false,
        break_on_hyphens: false,
    }
    .wrap(text)
    .join("\n")
}

/// `multiline()`: a reply sent as a multi-line SMTP reply (`550-5.1.1 …`
/// lines, the last `550 5.1.1 …`), as Gmail and Microsoft send theirs; a
/// reply without a leading code stays one line.
pub fn multiline(reply: &str, indent: &str) -> String {
    let t: Vec<char> = reply.chars().collect();
    let code_ok = t.len() >= 4
        && matches!(t[0], '2' | '4' | '5')
        && t[1].is_ascii_digit()
        && t[2].is_ascii_digit()
        && matches!(t[3], ' ' | '-');
    if !code_ok || t.contains(&'\n') {
        return format!("{indent}{reply}");
    }
    let code: String = t[..3].iter().collect();
    // `(?:[245]\.\d{1,3}\.\d{1,3} )?` after the code.
    let enh_len = (|| {
        let s = 4;
        if !matches!(t.get(s), Some('2' | '4' | '5')) || t.get(s + 1) != Some(&'.') {
            return 0;
        }
        let a = digits(&t, s + 2);
        if !(1..=3).contains(&a) || t.get(s + 2 + a) != Some(&'.') {
            return 0;
        }
        let b = digits(&t, s + 3 + a);
        if !(1..=3).contains(&b) || t.get(s + 3 + a + b) != Some(&' ') {
            return 0;
        }
        4 + a + b
    })();
    let enh: String = t[4..4 + enh_len].iter().collect();
    let rest: String = t[4 + enh_len..].iter().collect();
    // Servers fold their replies between words, never inside a token.
    let mut chunks = Wrapper {
        break_long_words: false,
        break_on_hyphens: false,
        ..Wrapper::plain(40)
    }
    .wrap(&rest);
    if chunks.is_empty() {
        chunks.push(String::new());
    }
    let last = chunks.len() - 1;
    chunks
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let sep = if i == last { ' ' } else { '-' };
            format!("{indent}{code}{sep}{enh}{c}")
        })
        .collect::<Vec<_>>()
        .join("\n")
}
