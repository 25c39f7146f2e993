//! End-to-end `hikyaku graph`: mail sent to the sandbox-mode daemon (successes and failures
//! with known error statuses), then the real `hikyaku` binary draws the delivery, error and
//! domain graphs in the terminal and writes them as SVG and PNG files, which Python's own XML
//! parser and a hand-read PNG header (struct, zlib) check independently of our code. The
//! same graphs with `--lang ja` speak Japanese (titles, status and error-status names), and
//! their PNG is drawn with the Japanese face.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::path::Path;
use std::process::{Command, Output};

use hikyaku_e2e::{binary, python, wait_for, Daemon, Raw, ADMIN_PASSWORD};
use hikyaku_rpc::methods as m;
use hikyaku_rpc::types::stats::{Graph, GraphBucket, GraphKind, GraphQuery};

fn send(d: &Daemon, to: &str) {
    let mut c = Raw::hello(d.relay);
    assert!(c.cmd("MAIL FROM:<app@shop.test>").starts_with("250"));
    assert!(c.cmd(&format!("RCPT TO:<{to}>")).starts_with("250"));
    assert!(c.cmd("DATA").starts_with("354"));
    assert!(c.cmd("Subject: graph\r\n\r\nbody\r\n.").starts_with("250"));
    c.cmd("QUIT");
}

/// Runs `hikyaku` against the daemon with an empty private config and no terminal (so no
/// colours), `NO_COLOR` unset.
fn hikyaku(d: &Daemon, token: &str, args: &[&str]) -> Output {
    let config = d.data.parent().unwrap().join("cli.toml");
    Command::new(binary("hikyaku"))
        .env_clear()
        .env("HIKYAKU_URL", d.rpc_url())
        .env("HIKYAKU_KEY", token)
        .env("HIKYAKU_CONFIG", &config)
        .args(args)
        .output()
        .unwrap()
}

fn ok(o: &Output) -> String {
    assert!(
        o.status.success(),
        "exit {:?}\nstdout: {}\nstderr: {}",
        o.status.code(),
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8(o.stdout.clone()).unwrap()
}

fn failed(o: &Output, code: i32) -> String {
    assert_eq!(
        o.status.code(),
        Some(code),
        "stdout: {}\nstderr: {}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8(o.stderr.clone()).unwrap()
}

/// `2026-05-01T10:00+09:00` as the chart writes it: `2026-05-01 10:00`.
fn bucket_text(label: &str) -> String {
    let (date, time) = label.split_once('T').unwrap();
    format!("{date} {}", &time[..5])
}

/// Shares `(12.5 %)` at the end of the bar lines, in order.
fn shares(text: &str) -> Vec<f64> {
    text.lines()
        .filter_map(|l| {
            let open = l.rfind('(')?;
            l[open + 1..].strip_suffix(" %)")?.trim().parse().ok()
        })
        .collect()
}

/// The row of a bar chart that starts with `name`.
fn row<'a>(text: &'a str, name: &str) -> &'a str {
    text.lines()
        .find(|l| l.starts_with(name))
        .unwrap_or_else(|| panic!("no row {name:?} in\n{text}"))
}

/// Parses the SVG with Python's minidom and prints, one per line: the root element's name,
/// width, height and viewBox, then the text of every <text> element.
const SVG_CHECK: &str = r#"
import sys, xml.dom.minidom
doc = xml.dom.minidom.parse(sys.argv[1])
root = doc.documentElement
print(root.tagName, root.getAttribute("width"), root.getAttribute("height"), root.getAttribute("viewBox"))
for t in doc.getElementsByTagName("text"):
    print("".join(n.data for n in t.childNodes if n.nodeType == n.TEXT_NODE).strip())
"#;

/// Reads the PNG by hand: signature, IHDR (with its CRC), the inflated IDAT size against
/// width x height, and IEND; prints `width height bit_depth colour_type`.
const PNG_CHECK: &str = r#"
import sys, struct, zlib
data = open(sys.argv[1], "rb").read()
assert data[:8] == b"\x89PNG\r\n\x1a\n", "signature"
pos, chunks = 8, []
while pos < len(data):
    (n,) = struct.unpack(">I", data[pos:pos + 4])
    kind, body = data[pos + 4:pos + 8], data[pos + 8:pos + 8 + n]
    (crc,) = struct.unpack(">I", data[pos + 8 + n:pos + 12 + n])
    assert zlib.crc32(kind + body) & 0xffffffff == crc, kind
    chunks.append((kind, body))
    pos += 12 + n
assert chunks[0][0] == b"IHDR" and chunks[-1][0] == b"IEND", [c[0] for c in chunks]
w, h, depth, colour = struct.unpack(">IIBB", chunks[0][1][:10])
raw = zlib.decompress(b"".join(b for k, b in chunks if k == b"IDAT"))
channels = {2: 3, 6: 4, 0: 1}[colour]
assert len(raw) == h * (1 + w * channels * depth // 8), (len(raw), w, h)
print(w, h, depth, colour)
"#;

#[test]
fn graph_command_draws_terminal_charts_and_writes_svg_and_png() {
    let d = Daemon::start("sandbox = true\n");
    let token = d.login("admin", ADMIN_PASSWORD);
    for i in 0..4 {
        send(&d, &format!("ok{i}@a.test"));
    }
    send(&d, "ok@b.test");
    send(&d, "user-unknown@b.test");
    send(&d, "mailbox-full@c.test");
    // 7 queued + 5 succeeded + 2 failed.
    let q = GraphQuery {
        kind: GraphKind::Delivery,
        from: None,
        to: None,
        bucket: GraphBucket::Hour,
        time_zone: Some("+09:00".into()),
        domain: None,
        api_user: None,
        top: None,
    };
    let graph: Graph = wait_for("every outcome in the graph", || {
        let g = d.call(Some(&token), m::STATS_GRAPH, &q).unwrap();
        (g.total == 14).then_some(g)
    });

    // Delivery: braille lines, the first and last bucket under them, a legend per status.
    let text = ok(&hikyaku(
        &d,
        &token,
        &[
            "graph",
            "delivery",
            "--time-zone",
            "+09:00",
            "--width",
            "100",
        ],
    ));
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines[0].starts_with("Delivery graph, "), "{text}");
    assert_eq!(
        lines[1],
        "records per status per hour · time zone +09:00 · 14 records"
    );
    assert!(
        text.chars().any(|c| ('\u{2801}'..='\u{28ff}').contains(&c)),
        "braille in\n{text}"
    );
    let first = bucket_text(graph.buckets.first().unwrap());
    let last = bucket_text(graph.buckets.last().unwrap());
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with(&first) && l.ends_with(&last)),
        "time axis {first} … {last} in\n{text}"
    );
    for (status, total) in [
        ("queued", 7),
        ("succeeded", 5),
        ("deferred", 0),
        ("failed", 2),
    ] {
        let legend = row(&text, &format!("━━ {status} "));
        let words: Vec<&str> = legend.split_whitespace().collect();
        assert_eq!(words[2], total.to_string(), "{legend}");
    }
    assert!(lines.iter().all(|l| l.chars().count() <= 100), "{text}");
    assert!(!text.contains('\x1b'), "no colours without a terminal");

    // Error: a bar per error status, with the product's name, count and share.
    let text = ok(&hikyaku(&d, &token, &["graph", "error"]));
    assert!(text.starts_with("Error graph, "), "{text}");
    assert!(text.contains("failed deliveries per error status · time zone UTC · 2 records"));
    for name in ["unknown user (2)", "over capacity (5)"] {
        let r = row(&text, name);
        assert!(r.contains('█') && r.ends_with("1 (50.0 %)"), "{r}");
    }
    assert_eq!(shares(&text), [50.0, 50.0]);

    // Domain: top 2 and others, others last; the shares add up.
    let text = ok(&hikyaku(&d, &token, &["graph", "domain", "--top", "2"]));
    let bars: Vec<&str> = text.lines().skip(3).collect();
    assert_eq!(bars.len(), 3, "{text}");
    assert!(
        bars[0].starts_with("a.test") && bars[0].ends_with("8 (57.1 %)"),
        "{text}"
    );
    assert!(
        bars[1].starts_with("b.test") && bars[1].ends_with("4 (28.6 %)"),
        "{text}"
    );
    assert!(
        bars[2].starts_with("others") && bars[2].ends_with("2 (14.3 %)"),
        "{text}"
    );
    let sum: f64 = shares(&text).iter().sum();
    assert!((sum - 100.0).abs() < 0.2, "{sum}");

    // --json: the data as the server sent it.
    let json: serde_json::Value =
        serde_json::from_str(&ok(&hikyaku(&d, &token, &["graph", "error", "--json"]))).unwrap();
    assert_eq!(json["total"], 2);
    assert_eq!(json["slices"][0]["label"], "unknown user");

    let dir = d.data.parent().unwrap();
    svg_files(&d, &token, dir);
    png_file(&d, &token, dir);
    japanese(&d, &token, dir);
    failures(&d, &token, dir);
}

/// Runs `hikyaku graph ... --svg`/`--png FILE` and returns the file's path after checking
/// the note on stdout against the file's real size.
fn write(d: &Daemon, token: &str, args: &[&str], path: &Path) -> String {
    let mut all = vec!["graph"];
    all.extend_from_slice(args);
    let out = ok(&hikyaku(d, token, &all));
    let size = std::fs::metadata(path).unwrap().len();
    assert!(size > 1000, "{size} bytes");
    let expected = format!("to {} ({size} bytes, ", path.display());
    assert!(out.contains(&expected), "{out} should say {expected}");
    path.to_str().unwrap().to_string()
}

fn svg_files(d: &Daemon, token: &str, dir: &Path) {
    let path = dir.join("delivery.svg");
    let file = write(
        d,
        token,
        &[
            "delivery",
            "--time-zone",
            "+09:00",
            "--svg",
            path.to_str().unwrap(),
        ],
        &path,
    );
    let parsed = python(SVG_CHECK, &[&file]);
    let mut lines = parsed.lines();
    assert_eq!(lines.next(), Some("svg 720 360 0 0 720 360"));
    let texts: Vec<&str> = lines.collect();
    let has = |needle: &str| texts.iter().any(|t| t.contains(needle));
    assert!(has("Delivery graph, "), "{texts:?}");
    assert!(has("time zone +09:00"));
    assert!(has("time (+09:00)"));
    for entry in ["queued (7)", "succeeded (5)", "deferred (0)", "failed (2)"] {
        assert!(texts.contains(&entry), "legend {entry} in {texts:?}");
    }
    let svg = std::fs::read_to_string(&path).unwrap();
    assert!(
        !svg.contains("href") && !svg.contains("url("),
        "self-contained"
    );

    let path = dir.join("error.svg");
    let file = write(
        d,
        token,
        &[
            "error",
            "--svg",
            path.to_str().unwrap(),
            "--size",
            "900x450",
        ],
        &path,
    );
    let parsed = python(SVG_CHECK, &[&file]);
    assert!(parsed.starts_with("svg 900 450 0 0 900 450\n"), "{parsed}");
    assert!(parsed.contains("\nError graph, "));
    assert!(
        parsed.contains("\nunknown user (2)  1 (50.0 %)\n"),
        "{parsed}"
    );
    assert!(parsed.contains("\nover capacity (5)  1 (50.0 %)\n"));
}

fn png_file(d: &Daemon, token: &str, dir: &Path) {
    let path = dir.join("domain.png");
    let file = write(
        d,
        token,
        &[
            "domain",
            "--top",
            "2",
            "--png",
            path.to_str().unwrap(),
            "--size",
            "800x400",
        ],
        &path,
    );
    assert_eq!(python(PNG_CHECK, &[&file]).trim(), "800 400 8 2");
}

/// `--lang ja`: the terminal charts, an SVG and a PNG in Japanese; `--json` untouched.
fn japanese(d: &Daemon, token: &str, dir: &Path) {
    let text = ok(&hikyaku(d, token, &["graph", "error", "--lang", "ja"]));
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines[0].starts_with("エラーグラフ "), "{text}");
    assert_eq!(
        lines[1],
        "エラーステータス別の配信失敗数 · タイムゾーン UTC · 2 件"
    );
    for name in ["ユーザ不明 (2)", "容量オーバー (5)"] {
        let r = row(&text, name);
        assert!(r.contains('█') && r.ends_with("1 (50.0 %)"), "{r}");
    }
    assert!(!text.contains("unknown user"), "{text}");
    // Wide characters take two columns (all the non-ASCII ones here): the names are padded
    // by columns, so the bars start in the same column.
    let columns = |s: &str| -> usize { s.chars().map(|c| if c.is_ascii() { 1 } else { 2 }).sum() };
    let bar_at = |name: &str| columns(row(&text, name).split('█').next().unwrap());
    assert_eq!(bar_at("ユーザ不明"), bar_at("容量オーバー"), "{text}");

    let text = ok(&hikyaku(
        d,
        token,
        &["graph", "delivery", "--lang", "ja", "--time-zone", "+09:00"],
    ));
    assert!(text.starts_with("配信グラフ "), "{text}");
    for (status, total) in [
        ("キュー投入", 7),
        ("配信成功", 5),
        ("配信遅延", 0),
        ("配信失敗", 2),
    ] {
        let legend = row(&text, &format!("━━ {status} "));
        let words: Vec<&str> = legend.split_whitespace().collect();
        assert_eq!(words[2], total.to_string(), "{legend}");
    }
    let text = ok(&hikyaku(
        d,
        token,
        &["graph", "domain", "--top", "2", "--lang", "ja"],
    ));
    assert!(row(&text, "その他").ends_with("2 (14.3 %)"), "{text}");

    let path = dir.join("error-ja.svg");
    let file = path.to_str().unwrap();
    ok(&hikyaku(
        d,
        token,
        &["graph", "error", "--lang", "ja", "--svg", file],
    ));
    let parsed = python(SVG_CHECK, &[file]);
    assert!(
        parsed.starts_with(
            "svg 720 360 0 0 720 360
"
        ),
        "{parsed}"
    );
    assert!(
        parsed.contains(
            "
エラーグラフ "
        ),
        "{parsed}"
    );
    assert!(
        parsed.contains(
            "
ユーザ不明 (2)  1 (50.0 %)
"
        ),
        "{parsed}"
    );
    assert!(parsed.contains(
        "
容量オーバー (5)  1 (50.0 %)
"
    ));

    // The PNG: a valid image, and not the English one (other glyphs in the same layout).
    let (ja, en) = (dir.join("delivery-ja.png"), dir.join("delivery-en.png"));
    for (lang, path) in [("ja", &ja), ("en", &en)] {
        let file = path.to_str().unwrap();
        let args = ["graph", "delivery", "--lang", lang, "--png", file];
        ok(&hikyaku(d, token, &args));
        assert_eq!(python(PNG_CHECK, &[file]).trim(), "720 360 8 2");
    }
    assert_ne!(std::fs::read(&ja).unwrap(), std::fs::read(&en).unwrap());

    let json: serde_json::Value = serde_json::from_str(&ok(&hikyaku(
        d,
        token,
        &["graph", "error", "--lang", "ja", "--json"],
    )))
    .unwrap();
    assert_eq!(
        json["slices"][0]["label"], "unknown user",
        "--json untranslated"
    );
}

fn failures(d: &Daemon, token: &str, dir: &Path) {
    // Usage errors never reach the server.
    failed(&hikyaku(d, token, &["graph", "domain", "--top", "0"]), 2);
    failed(&hikyaku(d, token, &["graph", "pie"]), 2);
    // The server's refusal, named.
    let e = failed(
        &hikyaku(
            d,
            token,
            &["graph", "delivery", "--time-zone", "Mars/Olympus"],
        ),
        3,
    );
    assert!(e.contains("time_zone") && e.contains("Mars/Olympus"), "{e}");
    // A file that cannot be written is a local problem, with the path.
    let bad = dir.join("no-such-dir").join("g.svg");
    let e = failed(
        &hikyaku(
            d,
            token,
            &["graph", "error", "--svg", bad.to_str().unwrap()],
        ),
        1,
    );
    assert!(
        e.contains("cannot write") && e.contains("no-such-dir"),
        "{e}"
    );
    // Without a credential: refused, and told how to give one.
    let o = Command::new(binary("hikyaku"))
        .env_clear()
        .env("HIKYAKU_URL", d.rpc_url())
        .env("HIKYAKU_CONFIG", dir.join("none.toml"))
        .args(["graph", "delivery"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(4), "{o:?}");
}
