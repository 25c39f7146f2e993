//! Every method of the API: the one table the server, the clients and the OpenRPC document
//! are built from.

use crate::method::{Access, Method, MethodInfo};
use crate::types::smime;
use crate::types::{
    blocks, bounces, deliveries, dkim, queue, received, send, settings, stats, system, users, Done,
    NoParams,
};
use crate::types::{dmarc, oplog, shaping, spf, webhooks};

macro_rules! methods {
    ($( $(#[$doc:meta])* $konst:ident = $name:literal, $access:ident, $params:ty => $result:ty, $summary:literal; )*) => {
        $(
            $(#[$doc])*
            pub const $konst: Method<$params, $result> = Method::new($name, Access::$access);
        )*

        /// Every method, in documentation order.
        pub fn all() -> Vec<MethodInfo> {
            vec![$(
                MethodInfo {
                    name: $name,
                    summary: $summary,
                    access: Access::$access,
                    params: |g| g.subschema_for::<$params>(),
                    result: |g| g.subschema_for::<$result>(),
                },
            )*]
        }
    };
}

methods! {
    /// Builds a MIME message and queues it like SMTP intake.
    SEND_SINGLE = "send.single", Send, send::SendSingle => send::SendResult,
        "Build one message (text/HTML/attachments) and queue it for every recipient.";
    /// Starts a bulk job.
    SEND_BULK = "send.bulk", Send, send::SendBulk => send::BulkAccepted,
        "Validate a template and up to 100 000 recipients, then queue one message each in the background.";
    /// Progress of a bulk job.
    SEND_JOB = "send.job", Send, send::JobQuery => send::JobStatus,
        "Progress of a bulk job and a page of its delivery ids.";
    /// Delivery-log search.
    DELIVERIES_SEARCH = "deliveries.search", Report, deliveries::DeliveryQuery => deliveries::DeliveryPage,
        "Search the delivery log (time range, recipient, domain, status, API user, message id, subject).";
    /// Delivery-log export.
    DELIVERIES_EXPORT = "deliveries.export", Report, deliveries::ExportQuery => deliveries::ExportChunk,
        "Export the delivery log as CSV or JSONL, one chunk per call.";
    /// Error-log search.
    BOUNCES_SEARCH = "bounces.search", Report, bounces::BounceQuery => bounces::BouncePage,
        "Search the error log of received bounces (the delivery filters plus error status).";
    /// Error-log export.
    BOUNCES_EXPORT = "bounces.export", Report, bounces::BounceExportQuery => deliveries::ExportChunk,
        "Export the error log as CSV or JSONL, one chunk per call.";
    /// Received-message listing.
    RECEIVED_LIST = "received.list", Report, received::ReceivedQuery => received::ReceivedPage,
        "List messages accepted on the receiving listener (bounces, auto-replies, inbound mail) with their envelopes.";
    /// One received message, whole.
    RECEIVED_GET = "received.get", ServiceAdmin, received::ReceivedGet => received::ReceivedMessage,
        "One message accepted on the receiving listener: its record and the raw message.";
    /// Error graph data.
    STATS_ERRORS = "stats.errors", Report, bounces::ErrorStatsQuery => bounces::ErrorStats,
        "Failures per error status, overall and per destination domain, over a time range.";
    /// Graph data.
    STATS_GRAPH = "stats.graph", Report, stats::GraphQuery => stats::Graph,
        "Delivery (per status per hour or day), error (per error status) or domain (top N and others) graph data, from counters kept at record time.";
    /// Block-list page.
    BLOCKS_LIST = "blocks.list", Report, blocks::BlockQuery => blocks::BlockPage,
        "List the block list or the unsubscribe list.";
    /// Adds addresses.
    BLOCKS_ADD = "blocks.add", Transact, blocks::BlockChange => blocks::BlockChanged,
        "Add one or many addresses to the block or unsubscribe list.";
    /// Removes addresses.
    BLOCKS_REMOVE = "blocks.remove", Transact, blocks::BlockChange => blocks::BlockChanged,
        "Remove one or many addresses from the block or unsubscribe list.";
    /// Daily counts.
    STATS_DAILY = "stats.daily", Report, stats::DailyQuery => stats::DailyStats,
        "Daily counts per status, optionally per API user or domain, in a time zone.";
    /// SPF record to publish.
    SPF_RECORD = "spf.record", ServiceAdmin, spf::SpfDomain => spf::SpfRecord,
        "The SPF record to publish for a domain: v=spf1 with every source IP (and spf.include), ~all.";
    /// SPF check.
    SPF_CHECK = "spf.check", ServiceAdmin, spf::SpfDomain => spf::SpfCheck,
        "Look up a domain's SPF record and evaluate it (mail-auth) for every source IP; names the ones it does not authorise.";
    /// DMARC record to publish.
    DMARC_RECORD = "dmarc.record", ServiceAdmin, dmarc::DmarcRecordQuery => dmarc::DmarcRecord,
        "The DMARC record to publish (_dmarc.DOMAIN) with rua at the report address the receiving listener accepts.";
    /// DMARC check.
    DMARC_CHECK = "dmarc.check", ServiceAdmin, dmarc::DmarcDomain => dmarc::DmarcCheck,
        "The effective DMARC record of a domain (inherited from its organisational domain when it has none) and whether our mail aligns.";
    /// DMARC aggregate reports.
    DMARC_REPORTS = "dmarc.reports", Report, dmarc::DmarcReportsQuery => dmarc::DmarcReports,
        "Aggregate reports received for a domain, summed per source IP: counts, disposition, DKIM/SPF results and alignment.";
    /// Queue overview.
    QUEUE_SUMMARY = "queue.summary", ServiceAdmin, queue::SummaryQuery => queue::QueueSummary,
        "Queued and deferred counts and the oldest entry per destination domain.";
    /// Retry now.
    QUEUE_FORCE_SEND = "queue.force_send", Transact, queue::ForceSend => queue::Forced,
        "Retry deferred entries now: all, one domain, or one delivery.";
    /// Reads settings.
    SETTINGS_GET = "settings.get", ServiceAdmin, settings::GetSettings => settings::SettingsDoc,
        "The applied settings or the draft.";
    /// Writes the draft.
    SETTINGS_SET = "settings.set", ServiceAdmin, settings::SetSettings => settings::Validation,
        "Replace or merge-patch the draft; it is validated and saved, not applied.";
    /// Validates the draft.
    SETTINGS_VALIDATE = "settings.validate", ServiceAdmin, NoParams => settings::Validation,
        "Validate the draft and name every offending key.";
    /// Draft against applied.
    SETTINGS_DIFF = "settings.diff", ServiceAdmin, NoParams => settings::SettingsDiff,
        "Keys that differ between the applied settings and the draft.";
    /// Applies the draft.
    SETTINGS_APPLY = "settings.apply", ServiceAdmin, NoParams => settings::Applied,
        "Apply the draft on every shard at once, without restart.";
    /// Re-applies the previous version.
    SETTINGS_ROLLBACK = "settings.rollback", ServiceAdmin, NoParams => settings::Applied,
        "Re-apply the previously applied version.";
    /// Creates a DKIM key.
    DKIM_CREATE = "dkim.create", ServiceAdmin, dkim::DkimCreate => dkim::DkimKeyInfo,
        "Generate a DKIM key (rsa-2048 or ed25519) for a sender domain and selector; returns the TXT record to publish.";
    /// Lists DKIM keys.
    DKIM_LIST = "dkim.list", ServiceAdmin, dkim::DkimListQuery => dkim::DkimKeyList,
        "DKIM keys with their state and DNS record (never the private key).";
    /// Checks published DKIM records.
    DKIM_CHECK = "dkim.check", ServiceAdmin, dkim::DkimCheckQuery => dkim::DkimCheck,
        "Look up each key's TXT record through the configured resolver and say whether it matches.";
    /// Switches the signing key.
    DKIM_ACTIVATE = "dkim.activate", ServiceAdmin, dkim::DkimActivate => dkim::DkimKeyInfo,
        "Make a selector the domain's signing key (its record must be published unless force); the previous one is retired.";
    /// Removes a DKIM key.
    DKIM_REMOVE = "dkim.remove", ServiceAdmin, dkim::DkimRemove => Done,
        "Delete a DKIM key; removing the active key stops signing for its domain.";
    /// Registers an S/MIME signer.
    SMIME_ADD = "smime.add", ServiceAdmin, smime::SmimeAdd => smime::SmimeEntry,
        "Register a certificate and private key for a sender address or domain (checked: parses, key matches, not expired); its mail is then S/MIME-signed.";
    /// Lists S/MIME signers.
    SMIME_LIST = "smime.list", ServiceAdmin, NoParams => smime::SmimeList,
        "S/MIME signers: certificate subject, issuer, serial, validity, fingerprint (never the key).";
    /// Removes an S/MIME signer.
    SMIME_REMOVE = "smime.remove", ServiceAdmin, smime::SmimeTarget => Done,
        "Delete an address's or domain's S/MIME signer; its mail is no longer signed.";
    /// Session login.
    USERS_LOGIN = "users.login", Public, users::Login => users::Session,
        "Log in to an account (with a one-time code once two-factor authentication is on); 10 consecutive failures, wrong codes included, lock it.";
    /// Ends the caller's session.
    USERS_LOGOUT = "users.logout", Authenticated, NoParams => Done,
        "End the calling session.";
    /// Who is calling.
    USERS_WHOAMI = "users.whoami", Authenticated, NoParams => users::Identity,
        "The caller's identity, role and rights.";
    /// Changes the caller's password.
    USERS_CHANGE_PASSWORD = "users.change_password", Authenticated, users::ChangePassword => Done,
        "Change the calling account's password.";
    /// Sets the caller's language and time zone.
    USERS_UPDATE_ME = "users.update_me", Authenticated, users::UpdateMe => users::MyAccount,
        "Set the calling account's language (ja/en, for the CLI) and time zone (report days and prohibited hours).";
    /// Lists users.
    USERS_LIST = "users.list", GroupAdmin, NoParams => users::UserList,
        "API users and accounts.";
    /// Creates an API user.
    USERS_ADD_API_USER = "users.add_api_user", GroupAdmin, users::AddApiUser => users::ApiKey,
        "Create an API user and return its API key (shown once).";
    /// Replaces an API key.
    USERS_ROTATE_KEY = "users.rotate_key", GroupAdmin, users::UserName => users::ApiKey,
        "Issue a new API key for an API user; the old one stops working.";
    /// Creates an account.
    USERS_ADD_ACCOUNT = "users.add_account", GroupAdmin, users::AddAccount => Done,
        "Create an account with a role.";
    /// Deletes a user.
    USERS_REMOVE = "users.remove", GroupAdmin, users::UserName => Done,
        "Delete an API user or an account.";
    /// Unlocks an account.
    USERS_UNLOCK = "users.unlock", GroupAdmin, users::UserName => Done,
        "Unlock an account locked by failed logins.";
    /// Resets an account's password.
    USERS_RESET_PASSWORD = "users.reset_password", GroupAdmin, users::UserName => users::OneTimePassword,
        "Give an account a random one-time password (shown once; the account is unlocked and its sessions end); its next login may only change it.";
    /// Starts two-factor enrolment.
    USERS_TOTP_ENROLL = "users.totp_enroll", Authenticated, NoParams => users::TotpEnrollment,
        "Create a TOTP key for the calling account (not yet required at login): the otpauth:// URI and base32 secret for an authenticator app.";
    /// Turns two-factor authentication on.
    USERS_TOTP_CONFIRM = "users.totp_confirm", Authenticated, users::TotpCode => Done,
        "Confirm the enrolled TOTP key with a code from the app; from then on every login of the calling account needs a code.";
    /// Replaces an account's TOTP key.
    USERS_TOTP_REISSUE = "users.totp_reissue", GroupAdmin, users::UserName => users::TotpEnrollment,
        "Issue a new TOTP key for any account (lost authenticator): the old key stops working, two-factor is off until the account confirms the new one, its sessions end.";
    /// Traffic shaping per site and source IP.
    SHAPING_STATUS = "shaping.status", ServiceAdmin, shaping::ShapingQuery => shaping::ShapingStatus,
        "Per site and source IP: the limits in force now, any suspension or reduction with the rule that caused it and when it ends, warm-up day and allowance, and the latest rule firings.";
    /// Ends shaping actions.
    SHAPING_CLEAR = "shaping.clear", ServiceAdmin, shaping::ShapingClear => shaping::ShapingCleared,
        "End the shaping actions in force (suspensions, reductions, bounces) for a site, a source IP of it, or everything; limits return to normal at once and the recipients held for stopped sites are released within a second.";
    /// Searches the operation log.
    OPLOG_SEARCH = "oplog.search", ServiceAdmin, oplog::OplogQuery => oplog::OplogPage,
        "Search the operation log (logins, lockouts, settings and administrative changes, with who, when, from which IP and what) by time, account and action.";
    /// Creates an event webhook endpoint.
    WEBHOOKS_CREATE = "webhooks.create", ServiceAdmin, webhooks::WebhookCreate => webhooks::WebhookCreated,
        "Create a webhook endpoint for event types (optionally filtered); returns its id and signing secret (shown once).";
    /// Lists webhook endpoints.
    WEBHOOKS_LIST = "webhooks.list", ServiceAdmin, NoParams => webhooks::WebhookList,
        "Webhook endpoints with their events and filters (never the secret).";
    /// Removes a webhook endpoint.
    WEBHOOKS_REMOVE = "webhooks.remove", ServiceAdmin, webhooks::WebhookId => Done,
        "Delete a webhook endpoint with its pending events and dead letters.";
    /// Delivery state of a webhook endpoint.
    WEBHOOKS_STATUS = "webhooks.status", ServiceAdmin, webhooks::WebhookId => webhooks::WebhookStatus,
        "Pending events, age of the oldest, last error and dead letters of an endpoint.";
    /// Re-queues dead letters.
    WEBHOOKS_REPLAY = "webhooks.replay", ServiceAdmin, webhooks::WebhookId => webhooks::WebhookReplayed,
        "Queue an endpoint's dead letters again (after the pending events).";
    /// Lists dead letters.
    WEBHOOKS_DEAD_LETTERS = "webhooks.dead_letters", ServiceAdmin, webhooks::WebhookDeadLettersQuery => webhooks::WebhookDeadLetters,
        "A page of an endpoint's dead-lettered events, oldest first, with when and why each was dead-lettered when recorded.";
    /// Engine status.
    SYSTEM_STATUS = "system.status", Authenticated, NoParams => system::SystemStatus,
        "Version, mode, shards, uptime and settings version.";
    /// The OpenRPC document.
    RPC_DISCOVER = "rpc.discover", Public, NoParams => serde_json::Value,
        "This API's OpenRPC document.";
}
