//! The words of the charts, chosen by the caller: the crate has no idea of the reader's
//! language, and the catalogs live with the programs that know it (`hikyaku graph` reads the
//! account's language). [`Texts::english`] is what the charts always said, so the web
//! console, which calls [`crate::svg`], is unchanged.
//!
//! Texts with `{}` are templates whose arguments come in a fixed order (written on each
//! field); a translation may move the words around them but keeps the number of `{}`.

use std::collections::BTreeMap;

/// Which bundled font draws the PNG's text (the SVG names `sans-serif` whatever this says).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Face {
    /// DejaVu Sans: Latin, Greek, Cyrillic, no CJK.
    #[default]
    Latin,
    /// The subset of Noto Sans CJK JP: the Japanese texts, ASCII and the charts' punctuation.
    Japanese,
}

/// Every fixed text of the charts, and the names of statuses.
#[derive(Debug, Clone, PartialEq)]
pub struct Texts {
    /// The font of the PNG: it must have glyphs for every text here.
    pub face: Face,
    /// Name of the delivery graph (`Delivery graph`).
    pub delivery_graph: String,
    /// Name of the error graph.
    pub error_graph: String,
    /// Name of the domain graph.
    pub domain_graph: String,
    /// Title: graph name, range start, range end (`{}, {} – {}`).
    pub title: String,
    /// What a daily delivery graph counts.
    pub per_day: String,
    /// What an hourly delivery graph counts.
    pub per_hour: String,
    /// What the error graph counts.
    pub per_error_status: String,
    /// What the domain graph counts.
    pub per_domain: String,
    /// Subtitle: what is counted, time zone, total (`{} · time zone {} · {} records`).
    pub subtitle: String,
    /// Time axis of the delivery graph: the time zone (`time ({})`).
    pub time_axis: String,
    /// Count axis of the delivery graph.
    pub count_axis: String,
    /// Said by a graph with nothing counted.
    pub no_data: String,
    /// The last legend line when some slices do not fit: their number (`… {} more`).
    pub more: String,
    /// An error status the server gave no label and [`Texts::error_statuses`] no name:
    /// its number (`error status {}`).
    pub unknown_error_status: String,
    /// The domain graph's slice of the remaining domains.
    pub others: String,
    /// A status's peak in the terminal legend: count, bucket (`peak {} at {}`).
    pub peak: String,
    /// Names of delivery statuses by wire name (`succeeded`); a status not here shows its
    /// wire name.
    pub statuses: BTreeMap<String, String>,
    /// Names of error statuses by number (`2`); a status not here shows the server's label.
    pub error_statuses: BTreeMap<String, String>,
}

impl Default for Texts {
    fn default() -> Self {
        Texts::english()
    }
}

impl Texts {
    /// The product's English texts; status names are the wire names and the server's labels.
    pub fn english() -> Texts {
        Texts {
            face: Face::Latin,
            delivery_graph: "Delivery graph".into(),
            error_graph: "Error graph".into(),
            domain_graph: "Domain graph".into(),
            title: "{}, {} – {}".into(),
            per_day: "records per status per day".into(),
            per_hour: "records per status per hour".into(),
            per_error_status: "failed deliveries per error status".into(),
            per_domain: "records per destination domain".into(),
            subtitle: "{} · time zone {} · {} records".into(),
            time_axis: "time ({})".into(),
            count_axis: "records".into(),
            no_data: "no data".into(),
            more: "… {} more".into(),
            unknown_error_status: "error status {}".into(),
            others: "others".into(),
            peak: "peak {} at {}".into(),
            statuses: BTreeMap::new(),
            error_statuses: BTreeMap::new(),
        }
    }

    /// These texts with every fixed one passed through `translate`, which gets the English
    /// text (templates with their `{}`) and gives the reader's; the status names and the face
    /// are left as they are.
    pub fn translated(mut self, mut translate: impl FnMut(&str) -> String) -> Texts {
        for text in [
            &mut self.delivery_graph,
            &mut self.error_graph,
            &mut self.domain_graph,
            &mut self.title,
            &mut self.per_day,
            &mut self.per_hour,
            &mut self.per_error_status,
            &mut self.per_domain,
            &mut self.subtitle,
            &mut self.time_axis,
            &mut self.count_axis,
            &mut self.no_data,
            &mut self.more,
            &mut self.unknown_error_status,
            &mut self.others,
            &mut self.peak,
        ] {
            *text = translate(text);
        }
        self
    }

    /// Every text a chart may take from here, for checking a font covers them.
    pub fn all(&self) -> impl Iterator<Item = &str> {
        [
            &self.delivery_graph,
            &self.error_graph,
            &self.domain_graph,
            &self.title,
            &self.per_day,
            &self.per_hour,
            &self.per_error_status,
            &self.per_domain,
            &self.subtitle,
            &self.time_axis,
            &self.count_axis,
            &self.no_data,
            &self.more,
            &self.unknown_error_status,
            &self.others,
            &self.peak,
        ]
        .into_iter()
        .chain(self.statuses.values())
        .chain(self.error_statuses.values())
        .map(String::as_str)
    }

    /// A delivery status's name.
    pub fn status<'a>(&'a self, wire: &'a str) -> &'a str {
        self.statuses.get(wire).map_or(wire, String::as_str)
    }
}

/// `template` with each `{}` replaced by the next argument (missing ones by nothing, extra
/// ones dropped), so a bad translation shows wrong words rather than failing.
pub fn fill(template: &str, args: &[&str]) -> String {
    let mut out = String::with_capacity(template.len() + 32);
    let mut args = args.iter();
    let mut rest = template;
    while let Some(at) = rest.find("{}") {
        out.push_str(&rest[..at]);
        out.push_str(args.next().copied().unwrap_or_default());
        rest = &rest[at + 2..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_fill_in_order_and_tolerate_bad_counts() {
        assert_eq!(fill("{}, {} – {}", &["a", "b", "c"]), "a, b – c");
        assert_eq!(fill("{} and {}", &["only"]), "only and ");
        assert_eq!(fill("none", &["x"]), "none");
    }

    #[test]
    fn translation_touches_fixed_texts_only() {
        let mut t = Texts::english();
        t.statuses.insert("failed".into(), "F".into());
        let t = t.translated(|en| format!("<{en}>"));
        assert_eq!(t.no_data, "<no data>");
        assert_eq!(t.title, "<{}, {} – {}>");
        assert_eq!(t.status("failed"), "F");
        assert_eq!(t.status("queued"), "queued");
        assert_eq!(t.face, Face::Latin);
        assert!(t.all().any(|s| s == "F"));
        assert_eq!(t.all().count(), 17);
    }
}
