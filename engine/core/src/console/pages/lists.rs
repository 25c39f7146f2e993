//! The block and unsubscribe lists: search by substring, paginated.

use hikyaku_rpc::types::blocks::{BlockPage, ListName};
use maud::html;

use super::{error_box, Viewer};

/// The list page: the filter form, the entries (or the refusal), the next-page link.
pub(crate) fn lists(
    viewer: &Viewer<'_>,
    list: ListName,
    contains: &str,
    result: &Result<BlockPage, String>,
    next: Option<&str>,
) -> String {
    let name = match list {
        ListName::Block => "block",
        ListName::Unsubscribe => "unsubscribe",
    };
    super::page(
        "Block & unsubscribe lists",
        "/lists",
        viewer,
        html! {
            form.search method="get" action="/lists" #list-search {
                input type="hidden" name="csrf" value=(viewer.csrf);
                label { "List"
                    select name="list" {
                        option value="block" selected[name == "block"] { "Block list" }
                        option value="unsubscribe" selected[name == "unsubscribe"] { "Unsubscribe list" }
                    }
                }
                label { "Address contains" input type="text" name="contains" value=(contains); }
                button type="submit" { "Search" }
            }
            @match result {
                Err(why) => (error_box(why)),
                Ok(page) => {
                    p { (page.entries.len()) " entries on this page of the " (name) " list." }
                    table #entries {
                        thead { tr { th { "Address" } th { "Added" } th { "Reason" } } }
                        tbody {
                            @for e in &page.entries {
                                tr { td { (e.address) } td { (e.added) } td { (e.reason) } }
                            }
                        }
                    }
                    @if let Some(q) = next { p { a href={ "/lists?" (q) } #next { "Next page →" } } }
                }
            }
        },
    )
}
