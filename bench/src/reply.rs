//! Reading SMTP replies (RFC 5321 section 4.2): a pure parser over a byte buffer and a
//! small buffered reader around any [`Read`] that uses it.

use std::io::{self, Read};

/// Longest reply (all lines together) accepted before the reader gives up.
pub const MAX_REPLY_LEN: usize = 64 * 1024;

/// One complete, possibly multi-line, SMTP reply.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reply {
    /// The three-digit reply code.
    pub code: u16,
    /// The text of every line after the code and separator, without line endings.
    pub lines: Vec<String>,
}

impl Reply {
    /// True for 2xx replies.
    pub fn is_positive(&self) -> bool {
        (200..300).contains(&self.code)
    }

    /// True when an EHLO reply lists `keyword` as an extension (case-insensitive,
    /// ignoring the first line, which is the server's greeting name).
    pub fn has_extension(&self, keyword: &str) -> bool {
        self.lines.iter().skip(1).any(|l| {
            l.split_ascii_whitespace()
                .next()
                .is_some_and(|k| k.eq_ignore_ascii_case(keyword))
        })
    }

    /// The reply as the server sent it, lines joined by " / " (for reports).
    pub fn summary(&self) -> String {
        format!("{} {}", self.code, self.lines.join(" / "))
    }
}

/// Why a reply could not be parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReplyError {
    /// A line does not start with three digits followed by ' ', '-' or the line end.
    Malformed(String),
    /// The lines of a multi-line reply carry different codes.
    CodeMismatch(u16, u16),
    /// No final line within [`MAX_REPLY_LEN`] bytes.
    TooLong,
}

impl std::fmt::Display for ReplyError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ReplyError::Malformed(l) => write!(f, "malformed SMTP reply line {l:?}"),
            ReplyError::CodeMismatch(a, b) => write!(f, "multi-line reply mixes codes {a} and {b}"),
            ReplyError::TooLong => write!(f, "SMTP reply longer than {MAX_REPLY_LEN} bytes"),
        }
    }
}

impl std::error::Error for ReplyError {}

/// Parses the first complete reply in `buf`.
///
/// Returns `Ok(None)` when more bytes are needed, or the reply and the number of bytes
/// it used. Lines may end in CRLF or a bare LF.
pub fn parse_reply(buf: &[u8]) -> Result<Option<(Reply, usize)>, ReplyError> {
    let mut pos = 0;
    let mut code = None;
    let mut lines = Vec::new();
    while let Some(nl) = memchr::memchr(b'\n', &buf[pos..]) {
        let end = pos + nl + 1;
        let mut line = &buf[pos..pos + nl];
        if let [rest @ .., b'\r'] = line {
            line = rest;
        }
        let (c, last) = parse_line_head(line)?;
        match code {
            None => code = Some(c),
            Some(prev) if prev != c => return Err(ReplyError::CodeMismatch(prev, c)),
            Some(_) => {}
        }
        let text = line.get(4..).unwrap_or_default();
        lines.push(String::from_utf8_lossy(text).into_owned());
        pos = end;
        if last {
            return Ok(Some((Reply { code: c, lines }, pos)));
        }
    }
    if buf.len() > MAX_REPLY_LEN {
        return Err(ReplyError::TooLong);
    }
    Ok(None)
}

/// Code of one reply line and whether it is the last line of its reply.
fn parse_line_head(line: &[u8]) -> Result<(u16, bool), ReplyError> {
    let malformed = || ReplyError::Malformed(String::from_utf8_lossy(line).into_owned());
    let digits = line.get(..3).ok_or_else(malformed)?;
    if !digits.iter().all(u8::is_ascii_digit) {
        return Err(malformed());
    }
    let code = digits
        .iter()
        .fold(0u16, |a, d| a * 10 + u16::from(d - b'0'));
    match line.get(3) {
        None | Some(b' ') => Ok((code, true)),
        Some(b'-') => Ok((code, false)),
        Some(_) => Err(malformed()),
    }
}

/// Buffered reply reader over a blocking stream.
#[derive(Debug)]
pub struct ReplyReader<R> {
    inner: R,
    buf: Vec<u8>,
    start: usize,
    end: usize,
}

impl<R: Read> ReplyReader<R> {
    /// Wraps `inner` with an 8 KiB buffer.
    pub fn new(inner: R) -> Self {
        ReplyReader {
            inner,
            buf: vec![0; 8192],
            start: 0,
            end: 0,
        }
    }

    /// The wrapped stream (to write commands on it).
    pub fn get_mut(&mut self) -> &mut R {
        &mut self.inner
    }

    /// Reads the next complete reply, blocking as needed.
    pub fn read_reply(&mut self) -> io::Result<Reply> {
        loop {
            match parse_reply(&self.buf[self.start..self.end]) {
                Ok(Some((reply, used))) => {
                    self.start += used;
                    if self.start == self.end {
                        self.start = 0;
                        self.end = 0;
                    }
                    return Ok(reply);
                }
                Ok(None) => {}
                Err(e) => return Err(io::Error::new(io::ErrorKind::InvalidData, e)),
            }
            if self.start > 0 {
                self.buf.copy_within(self.start..self.end, 0);
                self.end -= self.start;
                self.start = 0;
            }
            if self.end == self.buf.len() {
                self.buf.resize(self.buf.len() * 2, 0);
            }
            let n = self.inner.read(&mut self.buf[self.end..])?;
            if n == 0 {
                return Err(io::Error::new(
                    io::ErrorKind::UnexpectedEof,
                    "server closed the connection",
                ));
            }
            self.end += n;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn single_line() {
        let (r, n) = parse_reply(b"250 2.0.0 Ok: queued as X\r\nextra")
            .unwrap()
            .unwrap();
        assert_eq!(r.code, 250);
        assert_eq!(r.lines, vec!["2.0.0 Ok: queued as X"]);
        assert_eq!(n, 27);
        assert!(r.is_positive());
    }

    #[test]
    fn multi_line_ehlo_and_extensions() {
        let buf = b"250-mx.test\r\n250-PIPELINING\r\n250-SIZE 1000\r\n250 8BITMIME\r\n";
        let (r, n) = parse_reply(buf).unwrap().unwrap();
        assert_eq!(n, buf.len());
        assert_eq!(r.lines.len(), 4);
        assert!(r.has_extension("pipelining"));
        assert!(r.has_extension("SIZE"));
        assert!(!r.has_extension("mx.test"));
        assert!(!r.has_extension("CHUNKING"));
    }

    #[test]
    fn incomplete_needs_more() {
        assert_eq!(parse_reply(b"250-a\r\n250 b").unwrap(), None);
        assert_eq!(parse_reply(b"25").unwrap(), None);
        assert_eq!(parse_reply(b"").unwrap(), None);
    }

    #[test]
    fn bare_code_and_lf_only() {
        let (r, n) = parse_reply(b"354\n").unwrap().unwrap();
        assert_eq!((r.code, n), (354, 4));
        assert_eq!(r.lines, vec![""]);
    }

    #[test]
    fn errors() {
        assert!(matches!(
            parse_reply(b"hello\r\n"),
            Err(ReplyError::Malformed(_))
        ));
        assert!(matches!(
            parse_reply(b"250x\r\n"),
            Err(ReplyError::Malformed(_))
        ));
        assert_eq!(
            parse_reply(b"250-a\r\n550 b\r\n"),
            Err(ReplyError::CodeMismatch(250, 550))
        );
        let long = vec![b'2'; MAX_REPLY_LEN + 1];
        assert_eq!(parse_reply(&long), Err(ReplyError::TooLong));
    }

    #[test]
    fn reader_splits_pipelined_replies_across_reads() {
        // A reader that hands out one byte per read exercises every split point.
        struct Trickle(Vec<u8>, usize);
        impl Read for Trickle {
            fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
                if self.1 == self.0.len() {
                    return Ok(0);
                }
                out[0] = self.0[self.1];
                self.1 += 1;
                Ok(1)
            }
        }
        let data = b"250 2.1.0 Ok\r\n250 2.1.5 Ok\r\n354 go ahead\r\n".to_vec();
        let mut rd = ReplyReader::new(Trickle(data, 0));
        assert_eq!(rd.read_reply().unwrap().code, 250);
        assert_eq!(rd.read_reply().unwrap().code, 250);
        assert_eq!(rd.read_reply().unwrap().summary(), "354 go ahead");
        assert_eq!(
            rd.read_reply().unwrap_err().kind(),
            io::ErrorKind::UnexpectedEof
        );
    }
}
