//! The delivery log and the error log: search forms with the API's filters, a page of
//! records, the next-page link and the CSV/JSONL downloads of the whole result.

use hikyaku_rpc::types::bounces::BouncePage;
use hikyaku_rpc::types::deliveries::DeliveryPage;
use maud::{html, Markup};

use super::{error_box, Viewer};
use crate::console::forms::field;

/// Links that go with a result: the next page and the two downloads (query strings).
pub(crate) struct Links {
    pub(crate) next: Option<String>,
    pub(crate) csv: String,
    pub(crate) jsonl: String,
}

fn text_field(pairs: &[(String, String)], name: &str, label: &str, hint: &str) -> Markup {
    html! {
        label { (label) input type="text" name=(name) value=(field(pairs, name).unwrap_or("")) placeholder=(hint); }
    }
}

fn time_fields(pairs: &[(String, String)]) -> Markup {
    html! {
        (text_field(pairs, "since", "From (RFC 3339)", "2026-12-01T00:00:00Z"))
        (text_field(pairs, "until", "To (RFC 3339)", "default: now"))
    }
}

fn links(base: &str, links: &Links) -> Markup {
    html! {
        p.links {
            @if let Some(q) = &links.next { a href={ (base) "?" (q) } #next { "Next page →" } " · " }
            "Download all matching: "
            a href={ (base) "/export?" (links.csv) } #download-csv { "CSV" } " · "
            a href={ (base) "/export?" (links.jsonl) } #download-jsonl { "JSONL" }
        }
    }
}

/// The delivery-log page.
pub(crate) fn deliveries(
    viewer: &Viewer<'_>,
    pairs: &[(String, String)],
    result: &Result<(DeliveryPage, Links), String>,
) -> String {
    let status = field(pairs, "status").unwrap_or("");
    super::page(
        "Delivery log",
        "/deliveries",
        viewer,
        html! {
            form.search method="get" action="/deliveries" #delivery-search {
                input type="hidden" name="csrf" value=(viewer.csrf);
                (time_fields(pairs))
                (text_field(pairs, "recipient", "Recipient", "user@example.com"))
                (text_field(pairs, "domain", "Domain", "example.com"))
                label { "Status"
                    select name="status" {
                        option value="" selected[status.is_empty()] { "any" }
                        @for s in ["queued", "succeeded", "deferred", "failed"] {
                            option value=(s) selected[status == s] { (s) }
                        }
                    }
                }
                (text_field(pairs, "api_user", "API user", ""))
                (text_field(pairs, "message_id", "Message id", ""))
                (text_field(pairs, "subject", "Subject contains", ""))
                button type="submit" #search { "Search" }
            }
            @match result {
                Err(why) => (error_box(why)),
                Ok((page, l)) => {
                    p #result-count { (page.records.len()) " records on this page (oldest first)." }
                    table #records {
                        thead { tr {
                            th { "Time (UTC)" } th { "Status" } th { "Recipient" } th { "Error status" }
                            th { "Reply" } th { "Subject" } th { "API user" } th { "Message id" }
                        } }
                        tbody {
                            @for r in &page.records {
                                tr {
                                    td { (r.time) } td.status { (r.status.as_str()) } td.recipient { (r.recipient) }
                                    td { @if let Some(e) = r.error_status { (e) } }
                                    td { (r.smtp_reply.as_deref().unwrap_or("")) } td { (r.subject) }
                                    td { (r.api_user.as_deref().unwrap_or("")) } td { code { (r.message_id) } }
                                }
                            }
                        }
                    }
                    (links("/deliveries", l))
                }
            }
        },
    )
}

/// The error-log page.
pub(crate) fn errors(
    viewer: &Viewer<'_>,
    pairs: &[(String, String)],
    result: &Result<(BouncePage, Links), String>,
) -> String {
    let source = field(pairs, "source").unwrap_or("");
    super::page(
        "Error log",
        "/errors",
        viewer,
        html! {
            form.search method="get" action="/errors" #error-search {
                input type="hidden" name="csrf" value=(viewer.csrf);
                (time_fields(pairs))
                (text_field(pairs, "recipient", "Recipient", "user@example.com"))
                (text_field(pairs, "domain", "Domain", "example.com"))
                (text_field(pairs, "error_status", "Error status", "1–11, 99"))
                label { "Source"
                    select name="source" {
                        option value="" selected[source.is_empty()] { "any" }
                        option value="smtp" selected[source == "smtp"] { "delivery attempt" }
                        option value="bounce" selected[source == "bounce"] { "bounce received" }
                    }
                }
                (text_field(pairs, "api_user", "API user", ""))
                (text_field(pairs, "message_id", "Message id", ""))
                button type="submit" #search { "Search" }
            }
            @match result {
                Err(why) => (error_box(why)),
                Ok((page, l)) => {
                    p #result-count { (page.records.len()) " records on this page (oldest first)." }
                    table #records {
                        thead { tr {
                            th { "Time (UTC)" } th { "Recipient" } th { "Error status" } th { "Reason" }
                            th { "Diagnostic" } th { "Source" } th { "Message id" }
                        } }
                        tbody {
                            @for r in &page.records {
                                tr {
                                    td { (r.time) } td.recipient { (r.recipient) } td { (r.error_status) }
                                    td { (r.reason) } td { (r.diagnostic) } td { (r.source) }
                                    td { code { (r.message_id.as_deref().unwrap_or("")) } }
                                }
                            }
                        }
                    }
                    (links("/errors", l))
                }
            }
        },
    )
}
