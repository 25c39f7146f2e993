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
        let (Some(s), Some(e)) = (t.find('{'), t.rfind('}')) else {
            continue;
        };
        let Some(json) = t.get(s..=e) else {
            continue;
        };
        // Mail transport may fold long lines; JSON tolerates the whitespace
        // except inside strings, where a folded line break becomes a space.
        let json = json.replace("\r\n", "").replace('\n', "");
        let Ok(v) = serde_json::from_str::<Value>(&json) else {
            continue;
        };
        // SNS wraps the SES notification as a string in "Message".
        let v = match v
            .get("Message")
            .and_then(Value::as_str)
            .and_then(|m| serde_json::from_str::<Value>(m).ok())
        {
            Some(inner) => inner,
            None => v,
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
    }
}
