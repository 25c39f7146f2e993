//! A message's top-level header fields, kept in one buffer: a report has a
//! score of them and each was two strings, allocated and freed for every
//! message parsed (a tenth of the parser's allocations).

/// Header fields in the order written: each name as written, each value
/// raw and trimmed.
#[derive(Debug, Default, Clone)]
pub struct HeaderFields {
    text: String,
    /// Per field: end of its name and end of its value in `text` (each
    /// starts where the one before it ends).
    ends: Vec<(usize, usize)>,
}

impl HeaderFields {
    /// Adds a field after the others.
    pub fn push(&mut self, name: &str, value: &str) {
        self.text.push_str(name);
        let name_end = self.text.len();
        self.text.push_str(value);
        self.ends.push((name_end, self.text.len()));
    }

    /// The fields as (name, value), in order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        let mut start = 0;
        self.ends.iter().map(move |&(name_end, end)| {
            let name = self.text.get(start..name_end).unwrap_or("");
            let value = self.text.get(name_end..end).unwrap_or("");
            start = end;
            (name, value)
        })
    }

    /// The value of the first field of that name, the name's case ignored.
    pub fn get(&self, name: &str) -> Option<&str> {
        // Asked a dozen times a message: names of another length are
        // passed over without building their slices.
        let mut start = 0;
        for &(name_end, end) in &self.ends {
            if name_end - start == name.len()
                && self
                    .text
                    .get(start..name_end)
                    .is_some_and(|n| n.eq_ignore_ascii_case(name))
            {
                return self.text.get(name_end..end);
            }
            start = end;
        }
        None
    }
}

impl<'a> FromIterator<(&'a str, &'a str)> for HeaderFields {
    fn from_iter<I: IntoIterator<Item = (&'a str, &'a str)>>(fields: I) -> Self {
        let mut out = Self::default();
        for (name, value) in fields {
            out.push(name, value);
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_come_back_in_order_and_by_name() {
        let f: HeaderFields = [
            ("Subject", "x"),
            ("List-Id", ""),
            ("subject", "y"),
            ("É", "é"),
        ]
        .into_iter()
        .collect();
        assert_eq!(
            f.iter().collect::<Vec<_>>(),
            [
                ("Subject", "x"),
                ("List-Id", ""),
                ("subject", "y"),
                ("É", "é")
            ]
        );
        assert_eq!(f.get("SUBJECT"), Some("x"));
        assert_eq!(f.get("list-id"), Some(""));
        assert_eq!(f.get("to"), None);
        assert_eq!(HeaderFields::default().iter().count(), 0);
    }
}
