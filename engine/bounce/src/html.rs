//! HTML report parts rendered as plain text, for reports sent as HTML
//! alone (Exchange, Office 365, web mail).
//!
//! The text is read by line and paragraph, so lines must break where a
//! browser breaks them: at `<br>` and block tags, not at the source's own
//! newlines. An HTML report's source is wrapped anywhere ("<br>\r\n",
//! a sentence folded at 76 columns by the quoted-printable encoder's
//! writer); read as line breaks, those newlines split a recipient's
//! paragraph in two and cut its reply off from it. Inside `<pre>`, and in
//! a text report merely wrapped in `<html>` (no line-breaking tag at all),
//! the source's newlines are the layout and are kept.

/// Tags that lay a text out in lines: where a part has one, its source's
/// newlines are no layout.
const LAYOUT_TAGS: [&str; 18] = [
    "br",
    "p",
    "div",
    "tr",
    "li",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "table",
    "ul",
    "ol",
    "blockquote",
    "hr",
    "dt",
    "dd",
];

/// Tags that also end a line, where they open or close, but that a text
/// report merely wrapped in HTML has too.
const OTHER_LINE_TAGS: [&str; 4] = ["pre", "title", "html", "body"];

/// The most HTML rendered: four times the text a report is read for
/// (`nonstd::MAX_TEXT`), which markup takes up and more. A part beyond it is
/// a returned newsletter or junk (a mutated message's 39 MB of `<` took 8 s
/// to render, every segment compared with every layout tag).
pub const MAX_HTML: usize = 4 * crate::nonstd::MAX_TEXT;

/// Renders HTML as plain text well enough to find addresses and phrases:
/// tags become line breaks or nothing, character references are decoded.
pub fn strip_html(html: &str) -> String {
    let html = crate::text::clip(html, MAX_HTML);
    let laid_out_by_tags = has_line_tag(html);
    let mut out = String::with_capacity(html.len() / 2);
    let mut pre = false;
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        push_text(
            &mut out,
            rest.get(..lt).unwrap_or(""),
            pre || !laid_out_by_tags,
        );
        let after = rest.get(lt..).unwrap_or("");
        if let Some(comment) = after.strip_prefix("<!--") {
            rest = comment
                .find("-->")
                .map_or("", |e| comment.get(e + 3..).unwrap_or(""));
            continue;
        }
        let Some(gt) = after.find('>') else {
            rest = "";
            break;
        };
        let tag = after.get(1..gt).unwrap_or("");
        rest = after.get(gt + 1..).unwrap_or("");
        // An address left unescaped in the HTML (`Your message to <a@b>`) is
        // text, not a tag: a tag name holds no `@`.
        if tag.contains('@') && !tag.contains([' ', '=', '<', '\n']) {
            out.push('<');
            out.push_str(tag);
            out.push('>');
            continue;
        }
        let closing = tag.starts_with('/');
        let name = tag_name(tag);
        if LAYOUT_TAGS
            .iter()
            .chain(&OTHER_LINE_TAGS)
            .any(|t| name.eq_ignore_ascii_case(t))
        {
            end_line(&mut out);
        } else if name.eq_ignore_ascii_case("td") || name.eq_ignore_ascii_case("th") {
            out.push(' ');
        }
        if name.eq_ignore_ascii_case("pre") {
            pre = !closing;
        }
        if !closing && (name.eq_ignore_ascii_case("style") || name.eq_ignore_ascii_case("script")) {
            // `</` has no letter: no lower-cased copy needed to find it.
            if let Some(close) = rest.find("</") {
                rest = rest.get(close..).unwrap_or("");
            }
        }
    }
    push_text(&mut out, rest, pre || !laid_out_by_tags);
    if !out.contains('&') {
        return out;
    }
    // Every named and numeric reference (`&#39;`, `&#x27;`, `&eacute;`):
    // web-mail and Exchange reports write apostrophes and accented
    // letters so. A no-break space reads as a space.
    html_escape::decode_html_entities(&out).replace('\u{a0}', " ")
}

/// The element name of a tag's inside (`/P class=x` → `P`).
fn tag_name(tag: &str) -> &str {
    let t = tag.trim_start_matches('/');
    let end = t
        .find(|c: char| !c.is_ascii_alphanumeric())
        .unwrap_or(t.len());
    t.get(..end).unwrap_or("")
}

/// Whether any tag of `html` lays its text out in lines.
fn has_line_tag(html: &str) -> bool {
    html.split('<').skip(1).any(|t| {
        LAYOUT_TAGS
            .iter()
            .any(|l| tag_name(t).eq_ignore_ascii_case(l))
    })
}

/// Ends the line: spaces before a line break are no text.
fn end_line(out: &mut String) {
    while out.ends_with([' ', '\t']) {
        out.pop();
    }
    out.push('\n');
}

/// Appends text found between tags: verbatim when the source's newlines
/// are the layout, else each newline with the blanks around it read as
/// one space, as a browser shows it.
fn push_text(out: &mut String, text: &str, verbatim: bool) {
    if verbatim || !text.contains(['\n', '\r']) {
        out.push_str(text);
        return;
    }
    const BLANK: [char; 2] = [' ', '\t'];
    let mut segments = text.split(['\n', '\r']).peekable();
    let mut first = true;
    let mut space = false;
    while let Some(seg) = segments.next() {
        let last = segments.peek().is_none();
        // Blanks next to a newline go with it; the text's own ends keep theirs.
        let seg = match (first, last) {
            (true, _) => seg.trim_end_matches(BLANK),
            (false, false) => seg.trim_matches(BLANK),
            (false, true) => seg.trim_start_matches(BLANK),
        };
        if !first {
            space = true;
        }
        first = false;
        if seg.is_empty() {
            continue;
        }
        if space && !(out.is_empty() || out.ends_with(['\n', ' ', '\t'])) {
            out.push(' ');
        }
        space = false;
        out.push_str(seg);
    }
    if space && !(out.is_empty() || out.ends_with(['\n', ' ', '\t'])) {
        out.push(' ');
    }
}

/// The text is an HTML document: it opens with a doctype or an `<html>`,
/// `<head>` or `<body>` tag (case aside). Plain text never does.
pub fn is_html_document(text: &str) -> bool {
    let t = text.trim_start();
    let head: String = t.chars().take(14).collect::<String>().to_ascii_lowercase();
    ["<!doctype html", "<html", "<head", "<body"]
        .iter()
        .any(|tag| head.starts_with(tag))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_documents_are_told_from_text() {
        assert!(is_html_document("\n<html><body><p>x</p></body></html>"));
        assert!(is_html_document(
            "<!DOCTYPE html PUBLIC \"-//W3C//DTD HTML 4.01//EN\">"
        ));
        assert!(is_html_document("<BODY>x"));
        assert!(!is_html_document(
            "<jd@example.org>: 550 5.1.1 User unknown"
        ));
        assert!(!is_html_document("Delivery failed <b>"));
        assert!(!is_html_document(""));
    }

    #[test]
    fn entities_and_tags_in_any_case() {
        assert_eq!(
            strip_html("<P>x&amp;lt;&lt;&#39;&quot;&gt;&nbsp;&bogus;&</P><BR/>y<STYLE>z</Style>w"),
            "\nx&lt;<'\"> &bogus;&\n\nyw"
        );
        // Numeric references (hex and decimal) and named letters, as
        // web mail writes "doesn't" and "n'existe pas".
        assert_eq!(
            strip_html(
                "doesn&#x27;t &#100;&#111; n&#39;existe pas, l&rsquo;adresse &eacute;chou&eacute;e"
            ),
            "doesn't do n'existe pas, l\u{2019}adresse échouée"
        );
    }

    #[test]
    fn tags_comments_and_addresses() {
        assert_eq!(
            strip_html("<p>a&amp;b</p><style>x{}</style>c<br>d"),
            "\na&b\nc\nd"
        );
        assert_eq!(
            strip_html("<p>Your message to \"Ann\" <ann@example.org> failed<br>"),
            "\nYour message to \"Ann\" <ann@example.org> failed\n"
        );
        assert_eq!(
            strip_html("<a href=\"mailto:a@b.org\">a@b.org</a>"),
            "a@b.org"
        );
        // A comment may hold `>`; names are whole (`<pre>` is no `<p>`'s
        // prefix match, `<link>` no list item).
        assert_eq!(
            strip_html("<!--[if mso]><x>--><link rel=x>a<table><tr><td>b</td><th>c</th></tr>"),
            "a\n\n b  c\n"
        );
    }

    #[test]
    fn source_newlines_are_spaces_between_line_tags() {
        let html = "<p>Delivery has failed to these recipients:<br>\r\n  \
            <a href=\"mailto:a@b.example\">a@b.example</a><br>\r\n</p>\r\n\
            <p>Remote server returned\r\n   '550 5.1.1 User unknown'</p>";
        assert_eq!(
            strip_html(html),
            "\nDelivery has failed to these recipients:\na@b.example\n\n\n\
             Remote server returned '550 5.1.1 User unknown'\n"
        );
    }

    #[test]
    fn source_newlines_kept_in_pre_and_without_line_tags() {
        assert_eq!(
            strip_html("<p>x</p><pre>a@b.example\n  550 unknown\n</pre>y\nz"),
            "\nx\n\na@b.example\n  550 unknown\n\ny z"
        );
        assert_eq!(
            strip_html("<html>\na@b.example:\n550 unknown\n</html>"),
            "\n\na@b.example:\n550 unknown\n\n"
        );
    }
}
