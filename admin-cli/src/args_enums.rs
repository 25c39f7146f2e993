//! Value enums of the command line and their conversion to the wire types.
//!
//! The wire enums live in `hikyaku-rpc`, which does not depend on clap; these mirror them with
//! kebab-case names on the command line (`--group-by api-user`, `--role group-admin`).

use clap::ValueEnum;
use hikyaku_rpc::types::{blocks, deliveries, stats, users};

/// `--status`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum StatusArg {
    /// Accepted from the application.
    Queued,
    /// Accepted by the destination server.
    Succeeded,
    /// Permanently failed.
    Failed,
    /// Temporarily failed; will be retried.
    Deferred,
}

impl From<StatusArg> for deliveries::Status {
    fn from(s: StatusArg) -> Self {
        match s {
            StatusArg::Queued => Self::Queued,
            StatusArg::Succeeded => Self::Succeeded,
            StatusArg::Failed => Self::Failed,
            StatusArg::Deferred => Self::Deferred,
        }
    }
}

/// `deliveries export --format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportFormatArg {
    /// RFC 4180 CSV with a header line.
    Csv,
    /// One JSON object per line.
    Jsonl,
}

impl From<ExportFormatArg> for deliveries::ExportFormat {
    fn from(f: ExportFormatArg) -> Self {
        match f {
            ExportFormatArg::Csv => Self::Csv,
            ExportFormatArg::Jsonl => Self::Jsonl,
        }
    }
}

/// `send bulk --recipients-format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RecipientsFormat {
    /// Header row `to,<placeholder>...`, then one recipient per row.
    Csv,
    /// One JSON object per line.
    Jsonl,
    /// One JSON array of objects.
    Json,
}

/// `blocks --list`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum)]
pub enum ListArg {
    /// The block list.
    #[default]
    Block,
    /// The unsubscribe list.
    Unsubscribe,
}

impl From<ListArg> for blocks::ListName {
    fn from(l: ListArg) -> Self {
        match l {
            ListArg::Block => Self::Block,
            ListArg::Unsubscribe => Self::Unsubscribe,
        }
    }
}

/// `stats daily --group-by`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum)]
pub enum GroupByArg {
    /// One row per day.
    #[default]
    Day,
    /// One row per day and API user.
    ApiUser,
    /// One row per day and destination domain.
    Domain,
}

impl From<GroupByArg> for stats::GroupBy {
    fn from(g: GroupByArg) -> Self {
        match g {
            GroupByArg::Day => Self::Day,
            GroupByArg::ApiUser => Self::ApiUser,
            GroupByArg::Domain => Self::Domain,
        }
    }
}

/// `users add-account --role`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RoleArg {
    /// Everything, including accounts and API users.
    GroupAdmin,
    /// Settings, queue and reports.
    ServiceAdmin,
    /// Read-only reports.
    ReportViewer,
}

impl From<RoleArg> for users::Role {
    fn from(r: RoleArg) -> Self {
        match r {
            RoleArg::GroupAdmin => Self::GroupAdmin,
            RoleArg::ServiceAdmin => Self::ServiceAdmin,
            RoleArg::ReportViewer => Self::ReportViewer,
        }
    }
}
