//! Bounce notifications sent as JSON in the body (Amazon SES via SNS and
//! similar ESP webhooks relayed by mail): `bouncedRecipients` entries.

use serde_json::Value;

use crate::text::canonical;

/// One recipient of a JSON bounce notification, before classification.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct JsonRecipient {
    /// The failed address.
    pub recipient: String,
    /// `diagnosticCode`, when given.
    pub diagnostic: String,
    /// `status` (enhanced code), when given.
    pub status: Option<String>,
    /// `action`, when given.
    pub action: Option<String>,
    /// `reportingMTA` of the bounce object.
    pub reporting_mta: Option<String>,
}

/// The JSON value of `text` from its first opening to its last closing
/// character. Mail transport may fold long lines; JSON tolerates the
/// whitespace except inside strings, where a folded line break becomes a
/// space.
fn json_in(text: &str, open: &[char], close: &[char]) -> Option<Value> {
    let (s, e) = (text.find(open)?, text.rfind(close)?);
    let json = text.get(s..=e)?.replace("\r\n", "").replace('\n', "");
    serde_json::from_str::<Value>(&json).ok()
}

/// The notification object in `text`: the JSON found there, or the
/// notification SNS wraps as a string in its "Message".
fn notification_in(text: &str) -> Option<Value> {
    let v = json_in(text, &['{'], &['}'])?;
    Some(
        match v
            .get("Message")
            .and_then(Value::as_str)
            .and_then(|m| serde_json::from_str::<Value>(m).ok())
        {
            Some(inner) => inner,
            None => v,
        },
    )
}

fn str_of(v: &Value, key: &str) -> Option<String> {
    v.get(key).and_then(Value::as_str).map(str::to_string)
}

/// Finds a JSON object in the texts and reads its bounced recipients.
/// Notifications of other types (deliveries, complaints) yield nothing.
pub fn parse(texts: &[String]) -> Vec<JsonRecipient> {
    let mut out = Vec::new();
    for t in texts {
        if !t.contains("bouncedRecipients") {
            continue;
        }
        let Some(v) = notification_in(t) else {
            continue;
        };
        let Some(bounce) = v.get("bounce") else {
            continue;
        };
        let mta =
            str_of(bounce, "reportingMTA").map(|m| m.trim_start_matches("dns;").trim().to_string());
        let Some(list) = bounce.get("bouncedRecipients").and_then(Value::as_array) else {
            continue;
        };
        for r in list {
            let Some(addr) = str_of(r, "emailAddress")
                .map(|a| canonical(&a))
                .filter(|a| a.contains('@'))
            else {
                continue;
            };
            out.push(JsonRecipient {
                recipient: addr,
                diagnostic: str_of(r, "diagnosticCode").unwrap_or_default(),
                status: str_of(r, "status"),
                action: str_of(r, "action"),
                reporting_mta: mta.clone(),
            });
        }
    }
    out
}

/// The recipients of a delay notification in JSON (Amazon SES's
/// `DeliveryDelay` event: `deliveryDelay.delayedRecipients`), which is no
/// failure: the service is still trying them.
pub fn delayed(texts: &[String]) -> Vec<String> {
    let mut out = Vec::new();
    for t in texts {
        if !t.contains("delayedRecipients") {
            continue;
        }
        let Some(v) = notification_in(t) else {
            continue;
        };
        let list = v
            .get("deliveryDelay")
            .and_then(|d| d.get("delayedRecipients"))
            .and_then(Value::as_array);
        for r in list.into_iter().flatten() {
            if let Some(a) = str_of(r, "emailAddress")
                .map(|a| canonical(&a))
                .filter(|a| a.contains('@') && !out.contains(a))
            {
                out.push(a);
            }
        }
    }
    out
}

/// Keys naming a recipient's address, lower case without `_` and `-`.
const ADDRESS_KEYS: &[&str] = &[
    "email",
    "emailaddress",
    "recipient",
    "recipientemail",
    "recipientaddress",
    "finalrecipient",
    "rcpt",
    "rcptto",
    "address",
    "to",
];

/// Keys naming what the receiving server or the sending service said.
const DIAGNOSTIC_KEYS: &[&str] = &[
    "diagnostic",
    "diagnosticcode",
    "smtpresponse",
    "response",
    "lastresponse",
    "deliveryresponse",
    "reason",
    "bouncereason",
    "error",
    "errormessage",
    "details",
    "description",
    "message",
];

/// Keys of an enhanced status code, and of a reply code given apart.
const ENHANCED_KEYS: &[&str] = &[
    "status",
    "enhancedcode",
    "enhancedstatus",
    "dsnstatus",
    "statuscode",
];
const REPLY_KEYS: &[&str] = &["smtpcode", "replycode", "code", "smtpstatus", "statuscode"];

/// The most objects one body is read for.
const MAX_OBJECTS: usize = 1000;

fn key_of(k: &str) -> String {
    k.chars()
        .filter(|c| !matches!(c, '_' | '-'))
        .flat_map(char::to_lowercase)
        .collect()
}

/// A field's value among `keys`, as text (a number as its digits).
fn field(obj: &serde_json::Map<String, Value>, keys: &[&str]) -> Option<String> {
    keys.iter().find_map(|want| {
        obj.iter().find_map(|(k, v)| {
            (key_of(k) == *want)
                .then(|| match v {
                    Value::String(s) => Some(s.trim().to_string()),
                    Value::Number(n) => Some(n.to_string()),
                    _ => None,
                })
                .flatten()
                .filter(|s| !s.is_empty())
        })
    })
}

/// One object of a failure list: its address and what was said of it,
/// when the words or fields carry a 4xx/5xx reply or enhanced code.
fn failed_entry(obj: &serde_json::Map<String, Value>) -> Option<JsonRecipient> {
    let addr = field(obj, ADDRESS_KEYS)?;
    let found = crate::text::find_addresses(&addr);
    let [one] = found.as_slice() else {
        return None;
    };
    let recipient = canonical(one.addr);
    let said = field(obj, DIAGNOSTIC_KEYS).unwrap_or_default();
    let enhanced = field(obj, ENHANCED_KEYS)
        .filter(|e| crate::codes::find_enhanced(e).is_some_and(|f| f == *e))
        .or_else(|| crate::codes::find_enhanced(&said));
    let reply = crate::codes::find_reply_code(&said).or_else(|| {
        field(obj, REPLY_KEYS)
            .and_then(|c| c.parse::<u16>().ok())
            .filter(|c| (400..600).contains(c))
    });
    let failing = enhanced
        .as_deref()
        .is_some_and(|e| e.starts_with(['4', '5']))
        || reply.is_some_and(|c| (400..600).contains(&c));
    if !failing {
        return None;
    }
    // A reply code given apart leads the words, as the server sent them.
    let diagnostic = match reply {
        Some(c) if crate::codes::find_reply_code(&said).is_none() => format!("{c} {said}"),
        _ => said,
    };
    Some(JsonRecipient {
        recipient,
        diagnostic: diagnostic.trim().to_string(),
        status: enhanced,
        action: Some("failed".to_string()),
        reporting_mta: None,
    })
}

/// Every object of `v` that is one failed recipient, depth first.
fn walk(v: &Value, out: &mut Vec<JsonRecipient>, seen: &mut usize) {
    *seen += 1;
    if *seen > MAX_OBJECTS {
        return;
    }
    match v {
        Value::Object(obj) => match failed_entry(obj) {
            Some(r) => out.push(r),
            None => obj.values().for_each(|x| walk(x, out, seen)),
        },
        Value::Array(list) => list.iter().for_each(|x| walk(x, out, seen)),
        _ => {}
    }
}

/// Whether `text` opens a JSON object somewhere (`{` and then, after any
/// whitespace, a member's quoted name): not a style sheet's or a
/// template's braces.
pub fn has_object(text: &str) -> bool {
    text.match_indices('{').any(|(at, _)| {
        text.get(at + 1..)
            .and_then(|rest| rest.trim_start().chars().next())
            == Some('"')
    })
}

/// A JSON body of any service's own shape (an ESP's or a relay's failure
/// mail carrying its webhook payload): each object naming one address
/// and a 4xx/5xx reply or enhanced code is that recipient's failure, read
/// from its own fields, never from its neighbours'. The caller reads it
/// only in a message that signals a failure report.
pub fn parse_any(texts: &[String]) -> Vec<JsonRecipient> {
    let mut out = Vec::new();
    for t in texts {
        let Some(v) = json_in(t, &['{', '['], &['}', ']']) else {
            continue;
        };
        walk(&v, &mut out, &mut 0);
    }
    let mut seen = std::collections::HashSet::new();
    out.retain(|r| seen.insert(r.recipient.clone()));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_ses_notification() {
        let t = r#"{"notificationType":"Bounce","bounce":{"bounceType":"Permanent","reportingMTA":"dns; a.example","bouncedRecipients":[{"emailAddress":"X@Example.com","action":"failed","status":"5.1.1","diagnosticCode":"smtp; 550 5.1.1 user unknown"}]}}"#;
        let r = parse(&[t.to_string()]);
        assert_eq!(r.len(), 1);
        assert_eq!(r[0].recipient, "x@example.com");
        assert_eq!(r[0].status.as_deref(), Some("5.1.1"));
        assert_eq!(r[0].reporting_mta.as_deref(), Some("a.example"));
        assert!(parse(&["{\"notificationType\":\"Delivery\"}".to_string()]).is_empty());
        let delay = r#"{"eventType":"DeliveryDelay","deliveryDelay":{"delayType":"TransientCommunicationFailure","delayedRecipients":[{"emailAddress":"A@Example.com","status":"4.4.2"}]}}"#;
        assert_eq!(delayed(&[delay.to_string()]), ["a@example.com"]);
        assert!(parse(&[delay.to_string()]).is_empty());
    }

    #[test]
    fn reads_any_failure_list() {
        let t = r#"Failures:
{"failed": [
  {"email": "a@x.example", "smtp_code": 550, "diagnostic": "mailbox unavailable"},
  {"recipient": "B@y.example", "response": "552 5.2.2 over quota"},
  {"email": "c@z.example", "status": "delivered", "response": "250 2.0.0 ok"},
  {"contact": "ops@x.example", "note": "550 in a note"}
], "from": "sender@example.org"}"#;
        let r = parse_any(&[t.to_string()]);
        let got: Vec<(&str, &str)> = r
            .iter()
            .map(|r| (r.recipient.as_str(), r.diagnostic.as_str()))
            .collect();
        assert_eq!(
            got,
            [
                ("a@x.example", "550 mailbox unavailable"),
                ("b@y.example", "552 5.2.2 over quota")
            ]
        );
        assert_eq!(r[1].status.as_deref(), Some("5.2.2"));
        assert!(parse_any(&["not json {".to_string()]).is_empty());
    }
}
