//! The data a [`crate::TestDns`] serves, and the DNS answers it makes from it.
//!
//! Written inline by tests in a one-line-per-record text form, or built with methods, so each test
//! states exactly which names exist, which fail, and how.

use std::collections::HashMap;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::str::FromStr;

use hickory_resolver::proto::op::{Edns, Message, MessageType, ResponseCode};
use hickory_resolver::proto::rr::rdata::{A, AAAA, MX, SOA, TXT};
use hickory_resolver::proto::rr::{Name, RData, Record, RecordType};

/// A malformed zone text line.
#[derive(Debug, thiserror::Error)]
#[error("zone line {line}: {reason}: {text:?}")]
pub struct ZoneError {
    /// 1-based line number.
    pub line: usize,
    /// What was wrong.
    pub reason: String,
    /// The offending line.
    pub text: String,
}

#[derive(Debug, Clone, Default)]
struct Records {
    mx: Vec<(u16, String, u32)>,
    a: Vec<(Ipv4Addr, u32)>,
    aaaa: Vec<(Ipv6Addr, u32)>,
    txt: Vec<(String, u32)>,
}

#[derive(Debug, Clone)]
enum Entry {
    Records(Records),
    NxDomain,
    ServFail,
    Refused,
    Timeout,
}

/// The data the server answers from. Names not in the zone get NXDOMAIN; names in it without
/// records of the asked type get NODATA. Builder methods take names with or without the final dot.
#[derive(Debug, Clone)]
pub struct Zone {
    names: HashMap<String, Entry>,
    ttl: u32,
    negative_ttl: u32,
}

impl Default for Zone {
    fn default() -> Self {
        Self {
            names: HashMap::new(),
            ttl: 300,
            negative_ttl: 60,
        }
    }
}

fn key(name: &str) -> String {
    let n = name.trim();
    n.strip_suffix('.').unwrap_or(n).to_ascii_lowercase()
}

impl Zone {
    /// An empty zone: every name is NXDOMAIN. Records get a TTL of 300 s, negative answers 60 s.
    pub fn new() -> Self {
        Self::default()
    }

    /// TTL for records added after this call (and written without an explicit TTL in text).
    pub fn ttl(mut self, secs: u32) -> Self {
        self.ttl = secs;
        self
    }

    /// The SOA minimum (and SOA TTL) sent with NXDOMAIN and NODATA answers.
    pub fn negative_ttl(mut self, secs: u32) -> Self {
        self.negative_ttl = secs;
        self
    }

    fn with_records(&mut self, name: &str, add: impl FnOnce(&mut Records, u32)) {
        let entry = self
            .names
            .entry(key(name))
            .or_insert_with(|| Entry::Records(Records::default()));
        if !matches!(entry, Entry::Records(_)) {
            *entry = Entry::Records(Records::default());
        }
        if let Entry::Records(r) = entry {
            add(r, self.ttl);
        }
    }

    /// Adds an MX record; an `exchange` of `"."` makes a null MX.
    pub fn mx(mut self, name: &str, preference: u16, exchange: &str) -> Self {
        self.with_records(name, |r, ttl| r.mx.push((preference, key(exchange), ttl)));
        self
    }

    /// Publishes a null MX (RFC 7505): `MX 0 .`.
    pub fn null_mx(self, name: &str) -> Self {
        self.mx(name, 0, ".")
    }

    /// Adds an A record.
    pub fn a(mut self, name: &str, ip: Ipv4Addr) -> Self {
        self.with_records(name, |r, ttl| r.a.push((ip, ttl)));
        self
    }

    /// Adds an AAAA record.
    pub fn aaaa(mut self, name: &str, ip: Ipv6Addr) -> Self {
        self.with_records(name, |r, ttl| r.aaaa.push((ip, ttl)));
        self
    }

    /// Adds a TXT record (DKIM, SPF and DMARC records); text longer than 255 bytes is sent as
    /// several character-strings, as a zone file would split it, and joined again by readers.
    pub fn txt(mut self, name: &str, text: &str) -> Self {
        self.with_records(name, |r, ttl| r.txt.push((text.to_string(), ttl)));
        self
    }

    /// Adds an A or AAAA record, whichever `ip` is.
    pub fn addr(self, name: &str, ip: IpAddr) -> Self {
        match ip {
            IpAddr::V4(v4) => self.a(name, v4),
            IpAddr::V6(v6) => self.aaaa(name, v6),
        }
    }

    /// Makes the name exist without any records (every query is NODATA).
    pub fn nodata(mut self, name: &str) -> Self {
        self.names
            .insert(key(name), Entry::Records(Records::default()));
        self
    }

    /// Answers NXDOMAIN for the name even if it had records.
    pub fn nxdomain(mut self, name: &str) -> Self {
        self.names.insert(key(name), Entry::NxDomain);
        self
    }

    /// Answers SERVFAIL for the name.
    pub fn servfail(mut self, name: &str) -> Self {
        self.names.insert(key(name), Entry::ServFail);
        self
    }

    /// Answers REFUSED for the name.
    pub fn refused(mut self, name: &str) -> Self {
        self.names.insert(key(name), Entry::Refused);
        self
    }

    /// Never answers queries for the name, so clients time out.
    pub fn timeout(mut self, name: &str) -> Self {
        self.names.insert(key(name), Entry::Timeout);
        self
    }

    /// Reads the text form, one record per line, `#` or `;` starting a comment:
    /// `NAME [TTL] TYPE DATA`, with TYPE one of `MX PREF HOST`, `A IP`, `AAAA IP`,
    /// `TXT "TEXT"` (quoted, so `;` inside is not a comment), `NULLMX`, `NODATA`, `NXDOMAIN`,
    /// `SERVFAIL`, `REFUSED`, `TIMEOUT`.
    pub fn parse(text: &str) -> Result<Self, ZoneError> {
        text.parse()
    }

    fn add_line(self, line: &str) -> Result<Self, String> {
        let mut words = line.split_whitespace();
        let name = words.next().ok_or("missing name")?;
        let mut kind = words.next().ok_or("missing type")?;
        let mut ttl = self.ttl;
        if let Ok(t) = kind.parse::<u32>() {
            ttl = t;
            kind = words.next().ok_or("missing type after TTL")?;
        }
        let data: Vec<&str> = words.collect();
        let saved = self.ttl;
        let zone = self.ttl(ttl);
        let zone = match kind.to_ascii_uppercase().as_str() {
            "TXT" => {
                let joined = data.join(" ");
                let text = joined
                    .strip_prefix('"')
                    .and_then(|t| t.strip_suffix('"'))
                    .ok_or("TXT takes one quoted text")?;
                zone.txt(name, text)
            }
            "MX" => match data.as_slice() {
                [pref, host] => zone.mx(name, pref.parse().map_err(|_| "bad MX preference")?, host),
                _ => return Err("MX takes a preference and a host".to_string()),
            },
            "A" => zone.a(
                name,
                one_arg(kind, &data)?
                    .parse()
                    .map_err(|_| "bad IPv4 address")?,
            ),
            "AAAA" => zone.aaaa(
                name,
                one_arg(kind, &data)?
                    .parse()
                    .map_err(|_| "bad IPv6 address")?,
            ),
            other => {
                if !data.is_empty() {
                    return Err(format!("{other} takes no data"));
                }
                match other {
                    "NULLMX" => zone.null_mx(name),
                    "NODATA" => zone.nodata(name),
                    "NXDOMAIN" => zone.nxdomain(name),
                    "SERVFAIL" => zone.servfail(name),
                    "REFUSED" => zone.refused(name),
                    "TIMEOUT" => zone.timeout(name),
                    _ => return Err(format!("unknown type {other}")),
                }
            }
        };
        Ok(zone.ttl(saved))
    }

    /// The response to `request`, or `None` when the name is set to time out (or the request is
    /// not a query we can read).
    pub(crate) fn respond(&self, request: &Message) -> Option<Message> {
        if request.metadata.message_type != MessageType::Query {
            return None;
        }
        let mut resp = Message::response(request.metadata.id, request.metadata.op_code);
        resp.metadata.recursion_desired = request.metadata.recursion_desired;
        resp.metadata.recursion_available = true;
        resp.metadata.authoritative = true;
        if request.edns.is_some() {
            let mut edns = Edns::new();
            edns.set_max_payload(1232);
            resp.set_edns(edns);
        }
        let Some(query) = request.queries.first() else {
            resp.metadata.response_code = ResponseCode::FormErr;
            return Some(resp);
        };
        resp.add_query(query.clone());
        let owner = query.name().clone();
        let records = match self.names.get(&key(&owner.to_ascii())) {
            None | Some(Entry::NxDomain) => {
                resp.metadata.response_code = ResponseCode::NXDomain;
                resp.add_authority(self.soa());
                return Some(resp);
            }
            Some(Entry::ServFail) => {
                resp.metadata.response_code = ResponseCode::ServFail;
                return Some(resp);
            }
            Some(Entry::Refused) => {
                resp.metadata.response_code = ResponseCode::Refused;
                return Some(resp);
            }
            Some(Entry::Timeout) => return None,
            Some(Entry::Records(r)) => r,
        };
        let mut answers = Vec::new();
        match query.query_type() {
            RecordType::MX => {
                for (pref, exchange, ttl) in &records.mx {
                    let exchange = if exchange == "." {
                        Ok(Name::root())
                    } else {
                        Name::from_utf8(format!("{exchange}."))
                    };
                    if let Ok(exchange) = exchange {
                        answers.push(Record::from_rdata(
                            owner.clone(),
                            *ttl,
                            RData::MX(MX::new(*pref, exchange)),
                        ));
                    }
                }
            }
            RecordType::A => {
                for (ip, ttl) in &records.a {
                    answers.push(Record::from_rdata(owner.clone(), *ttl, RData::A(A(*ip))));
                }
            }
            RecordType::AAAA => {
                for (ip, ttl) in &records.aaaa {
                    answers.push(Record::from_rdata(
                        owner.clone(),
                        *ttl,
                        RData::AAAA(AAAA(*ip)),
                    ));
                }
            }
            RecordType::TXT => {
                for (text, ttl) in &records.txt {
                    let chunks: Vec<&[u8]> = text.as_bytes().chunks(255).collect();
                    answers.push(Record::from_rdata(
                        owner.clone(),
                        *ttl,
                        RData::TXT(TXT::from_bytes(chunks)),
                    ));
                }
            }
            _ => {}
        }
        if answers.is_empty() {
            resp.add_authority(self.soa());
        } else {
            resp.add_answers(answers);
        }
        Some(resp)
    }

    fn soa(&self) -> Record {
        let mname = Name::from_ascii("ns.hikyaku.test.").unwrap_or_else(|_| Name::root());
        let rname = Name::from_ascii("hostmaster.hikyaku.test.").unwrap_or_else(|_| Name::root());
        let n = i32::try_from(self.negative_ttl).unwrap_or(i32::MAX);
        let soa = SOA::new(mname, rname, 1, n, n, n, self.negative_ttl);
        Record::from_rdata(Name::root(), self.negative_ttl, RData::SOA(soa))
    }
}

/// The single data word of an address line.
fn one_arg<'a>(kind: &str, data: &[&'a str]) -> Result<&'a str, String> {
    match data {
        [word] => Ok(word),
        _ => Err(format!("{kind} takes one address")),
    }
}

/// The line without its comment: `#` or `;` outside double quotes starts one (TXT data such as
/// `"v=DKIM1; k=rsa; p=…"` keeps its semicolons).
fn strip_comment(line: &str) -> &str {
    let mut quoted = false;
    for (i, c) in line.char_indices() {
        match c {
            '"' => quoted = !quoted,
            '#' | ';' if !quoted => return &line[..i],
            _ => {}
        }
    }
    line
}

impl FromStr for Zone {
    type Err = ZoneError;

    fn from_str(text: &str) -> Result<Self, ZoneError> {
        let mut zone = Zone::new();
        for (i, raw) in text.lines().enumerate() {
            let line = strip_comment(raw).trim();
            if line.is_empty() {
                continue;
            }
            zone = zone.add_line(line).map_err(|reason| ZoneError {
                line: i + 1,
                reason,
                text: raw.to_string(),
            })?;
        }
        Ok(zone)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use hickory_resolver::proto::op::Query;

    fn ask(zone: &Zone, name: &str, rtype: RecordType) -> Option<Message> {
        let mut q = Message::query();
        q.metadata.id = 42;
        q.add_query(Query::query(Name::from_ascii(name).unwrap(), rtype));
        zone.respond(&q)
    }

    #[test]
    fn text_zone_parses_and_answers() {
        let zone = Zone::parse(
            "example.test MX 10 mx1.example.test.\n\
             mx1.example.test 60 A 127.0.0.1   # comment\n\
             nomail.test NULLMX\ngone.test NXDOMAIN\nbroken.test SERVFAIL\nslow.test TIMEOUT\n",
        )
        .unwrap();
        let r = ask(&zone, "EXAMPLE.test.", RecordType::MX).unwrap();
        assert_eq!(
            (
                r.metadata.id,
                r.metadata.message_type,
                r.metadata.response_code
            ),
            (42, MessageType::Response, ResponseCode::NoError)
        );
        assert_eq!(r.answers.len(), 1);
        let r = ask(&zone, "mx1.example.test.", RecordType::A).unwrap();
        assert_eq!(r.answers[0].ttl, 60);
        let r = ask(&zone, "mx1.example.test.", RecordType::AAAA).unwrap();
        assert_eq!(
            (
                r.metadata.response_code,
                r.answers.len(),
                r.authorities.len()
            ),
            (ResponseCode::NoError, 0, 1)
        );
        let r = ask(&zone, "nomail.test.", RecordType::MX).unwrap();
        assert!(matches!(&r.answers[0].data, RData::MX(mx) if mx.exchange.is_root()));
        assert_eq!(
            ask(&zone, "gone.test.", RecordType::MX)
                .unwrap()
                .metadata
                .response_code,
            ResponseCode::NXDomain
        );
        assert_eq!(
            ask(&zone, "other.test.", RecordType::A)
                .unwrap()
                .metadata
                .response_code,
            ResponseCode::NXDomain
        );
        assert_eq!(
            ask(&zone, "broken.test.", RecordType::MX)
                .unwrap()
                .metadata
                .response_code,
            ResponseCode::ServFail
        );
        assert!(ask(&zone, "slow.test.", RecordType::MX).is_none());
    }

    #[test]
    fn txt_records_keep_semicolons_and_long_text() {
        let long = "p=".to_string() + &"A".repeat(400);
        let zone = Zone::parse(&format!(
            "sel._domainkey.example.test TXT \"v=DKIM1; k=rsa; {long}\" # comment\n"
        ))
        .unwrap();
        let r = ask(&zone, "sel._domainkey.example.test.", RecordType::TXT).unwrap();
        let RData::TXT(txt) = &r.answers[0].data else {
            panic!("not a TXT answer");
        };
        let joined: Vec<u8> = txt
            .txt_data
            .iter()
            .flat_map(|c| c.iter().copied())
            .collect();
        assert_eq!(joined, format!("v=DKIM1; k=rsa; {long}").into_bytes());
        assert_eq!(txt.txt_data.len(), 2);
        assert!(Zone::parse("x.test TXT unquoted").is_err());
    }

    #[test]
    fn bad_lines_are_reported_with_their_number() {
        let e = Zone::parse("ok.test A 127.0.0.1\n\nbad.test MX ten mx.test\n").unwrap_err();
        assert_eq!(e.line, 3);
        assert!(Zone::parse("x.test A not-an-ip").is_err());
        assert!(Zone::parse("x.test BOGUS").is_err());
        assert!(Zone::parse("x.test NXDOMAIN extra").is_err());
    }
}
