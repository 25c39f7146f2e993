//! The console's HTML, as maud templates compiled into the binary. Pages get typed data
//! (the RPC result types) and return markup; they make no calls of their own.

pub(crate) mod account;
pub(crate) mod dashboard;
pub(crate) mod lists;
pub(crate) mod login;
pub(crate) mod logs;
pub(crate) mod settings;

use maud::{html, Markup, PreEscaped, DOCTYPE};

/// Who is looking at a page, and the CSRF token their forms carry.
pub(crate) struct Viewer<'a> {
    pub(crate) account: &'a str,
    pub(crate) csrf: &'a str,
}

/// The sections in the navigation bar: path and label.
const NAV: [(&str, &str); 6] = [
    ("/dashboard", "Dashboard"),
    ("/deliveries", "Delivery log"),
    ("/errors", "Error log"),
    ("/lists", "Block & unsubscribe lists"),
    ("/settings", "Settings"),
    ("/account", "My account"),
];

/// Kept small and inline: the console loads nothing from anywhere else.
const STYLE: &str = "
body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;margin:0;color:#1d2330;background:#f5f6f8}
header{background:#1d2330;color:#fff;display:flex;align-items:center;gap:1.5em;padding:.6em 1.2em}
header a{color:#cfd6e4;text-decoration:none;margin-right:1.1em}header a.on{color:#fff;font-weight:600}
header .who{margin-left:auto;display:flex;gap:.8em;align-items:center}
main{padding:1.2em;max-width:1400px;margin:auto}
h1{font-size:1.4em}h2{font-size:1.1em}
table{border-collapse:collapse;background:#fff;width:100%;font-size:.9em}
th,td{border:1px solid #d8dce3;padding:.3em .5em;text-align:left;vertical-align:top}
th{background:#eceff3}
form.search{display:flex;flex-wrap:wrap;gap:.6em;align-items:end;background:#fff;padding:.8em;border:1px solid #d8dce3;margin-bottom:1em}
form.search label{display:flex;flex-direction:column;font-size:.8em}
.cards{display:flex;gap:1em;flex-wrap:wrap;margin-bottom:1em}
.card{background:#fff;border:1px solid #d8dce3;padding:.8em 1.2em}
.card b{display:block;font-size:1.6em}
.charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(520px,1fr));gap:1em}
.chart{background:#fff;border:1px solid #d8dce3;padding:.5em}
.chart svg{width:100%;height:auto}
.error{background:#fde8e8;border:1px solid #e0a0a0;padding:.6em;margin:.6em 0}
.notice{background:#e6f4ea;border:1px solid #9fcfab;padding:.6em;margin:.6em 0}
.tabs a{margin-right:1em}.tabs a.on{font-weight:600}
pre{background:#fff;border:1px solid #d8dce3;padding:.8em;overflow:auto}
.login{max-width:22em;margin:6em auto;background:#fff;padding:1.5em;border:1px solid #d8dce3}
.login label{display:block;margin:.6em 0}.login input{width:100%;box-sizing:border-box}
";

/// The `<head>` of every page: no external resource, not indexed.
fn head(title: &str) -> Markup {
    html! {
        head {
            meta charset="utf-8";
            meta name="viewport" content="width=device-width, initial-scale=1";
            meta name="robots" content="noindex";
            title { (title) " — hikyaku" }
            style { (PreEscaped(STYLE)) }
        }
    }
}

/// A whole page for a logged-in viewer.
pub(crate) fn page(title: &str, active: &str, viewer: &Viewer<'_>, content: Markup) -> String {
    html! {
        (DOCTYPE)
        html lang="en" {
            (head(title))
            body {
                header {
                    strong { "hikyaku" }
                    nav {
                        @for (path, label) in NAV {
                            a href=(path) class=[(path == active).then_some("on")] { (label) }
                            " "
                        }
                    }
                    div.who {
                        span #account { (viewer.account) }
                        form method="post" action="/logout" {
                            input type="hidden" name="csrf" value=(viewer.csrf);
                            button type="submit" #logout { "Log out" }
                        }
                    }
                }
                main { h1 { (title) } (content) }
            }
        }
    }
    .into_string()
}

/// A page without the navigation (login, errors before login).
pub(crate) fn bare(title: &str, content: Markup) -> String {
    html! {
        (DOCTYPE)
        html lang="en" {
            (head(title))
            body { (content) }
        }
    }
    .into_string()
}

/// An error box (a refused call, a bad filter).
pub(crate) fn error_box(message: &str) -> Markup {
    html! { div.error role="alert" { (message) } }
}

/// A number with thousands separators.
pub(crate) fn count(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_escape_what_they_show_and_carry_the_logout_token() {
        let v = Viewer {
            account: "<script>x</script>",
            csrf: "tok123",
        };
        let p = page("Title", "/dashboard", &v, html! { p { "hi" } });
        assert!(p.contains("&lt;script&gt;x&lt;/script&gt;"));
        assert!(!p.contains("<script>"));
        assert!(p.contains(r#"name="csrf" value="tok123""#));
        assert!(p.contains(r#"href="/dashboard" class="on""#));
    }

    #[test]
    fn counts_have_separators() {
        assert_eq!(count(0), "0");
        assert_eq!(count(999), "999");
        assert_eq!(count(1_234_567), "1,234,567");
    }
}
