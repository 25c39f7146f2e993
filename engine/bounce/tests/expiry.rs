//! A transient refusal made final after days in the queue is a resend
//! timeout (SPEC §13.5 status 3); the same refusal reported at once is not.
//! Messages written from Postfix's DSN layout (`Arrival-Date` per message,
//! `Action: failed` with a 4.x.x `Status`).
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use hikyaku_bounce::{parse, ErrorStatus};

fn postfix(
    date: &str,
    arrival: &str,
    last_attempt: Option<&str>,
    diag: &str,
    status: &str,
) -> String {
    let last = last_attempt
        .map(|d| format!("Last-Attempt-Date: {d}\n"))
        .unwrap_or_default();
    format!(
        "From: MAILER-DAEMON@mx.sender.example (Mail Delivery System)\n\
To: bounce@sender.example\nDate: {date}\nSubject: Undelivered Mail Returned to Sender\n\
MIME-Version: 1.0\n\
Content-Type: multipart/report; report-type=delivery-status; boundary=\"b\"\n\n\
--b\nContent-Type: text/plain\n\n\
I'm sorry to have to inform you that your message could not\n\
be delivered to one or more recipients.\n\n\
<user@dest.example>: host mx.dest.example[192.0.2.1] said: {diag} (in reply to end of DATA command)\n\n\
--b\nContent-Type: message/delivery-status\n\n\
Reporting-MTA: dns; mx.sender.example\nArrival-Date: {arrival}\n\n\
Final-Recipient: rfc822; user@dest.example\nAction: failed\nStatus: {status}\n{last}\
Diagnostic-Code: smtp; {diag}\n\n\
--b\nContent-Type: text/rfc822-headers\n\n\
From: news@sender.example\nTo: user@dest.example\nSubject: News\n\n--b--\n"
    )
}

fn status_of(raw: &str) -> ErrorStatus {
    let r = parse(raw.as_bytes());
    assert_eq!(r.recipients.len(), 1, "{r:?}");
    r.recipients[0].status
}

#[test]
fn transient_refusal_after_days_in_the_queue_is_a_resend_timeout() {
    let diag = "451 Temporary local problem - please try later";
    let five_days = postfix(
        "Sat, 14 Feb 2015 18:38:41 -0600",
        "Mon, 9 Feb 2015 18:18:58 -0600",
        None,
        diag,
        "4.0.0",
    );
    assert_eq!(status_of(&five_days), ErrorStatus::ResendTimeout);
    // Last-Attempt-Date, when present, is the end of the retries.
    let by_last_attempt = postfix(
        "Sat, 14 Feb 2015 18:38:41 -0600",
        "Mon, 9 Feb 2015 18:18:58 -0600",
        Some("Sat, 14 Feb 2015 18:38:40 -0600"),
        diag,
        "4.0.0",
    );
    assert_eq!(status_of(&by_last_attempt), ErrorStatus::ResendTimeout);
}

#[test]
fn transient_refusal_reported_at_once_keeps_its_cause() {
    let diag = "451 Temporary local problem - please try later";
    let same_hour = postfix(
        "Mon, 9 Feb 2015 18:38:41 -0600",
        "Mon, 9 Feb 2015 18:18:58 -0600",
        None,
        diag,
        "4.0.0",
    );
    assert_eq!(status_of(&same_hour), ErrorStatus::ReceiverError);
}

#[test]
fn a_named_cause_outlives_the_queue_lifetime() {
    // Mailbox full stays mailbox full however long it was retried.
    let full = postfix(
        "Sat, 14 Feb 2015 18:38:41 -0600",
        "Mon, 9 Feb 2015 18:18:58 -0600",
        None,
        "452 4.2.2 Mailbox full",
        "4.2.2",
    );
    assert_eq!(status_of(&full), ErrorStatus::OverCapacity);
    // A permanent code is never read as a timeout.
    let unknown = postfix(
        "Sat, 14 Feb 2015 18:38:41 -0600",
        "Mon, 9 Feb 2015 18:18:58 -0600",
        None,
        "550 5.1.1 No such user",
        "5.1.1",
    );
    assert_eq!(status_of(&unknown), ErrorStatus::UnknownUser);
}

#[test]
fn a_refusal_that_lasts_only_for_a_time_ends_as_the_resend_timeout() {
    // A sending-rate limit, too many connections, greylisting: the
    // receiver asked for a later try, and the queue ran out of time.
    // Reported at once, a rate limit is the receiver's policy (4), and
    // greylisting already the retries' matter (the phrase table's 3).
    for (diag, at_once) in [
        (
            "451 4.7.1 Rate limit exceeded for your IP, try again later",
            ErrorStatus::Rejected,
        ),
        (
            "421 4.7.0 Too many connections from your host",
            ErrorStatus::Rejected,
        ),
        (
            "450 4.7.1 Recipient address rejected: Greylisted, see https://postgrey.example",
            ErrorStatus::ResendTimeout,
        ),
    ] {
        let expired = postfix(
            "Sat, 14 Feb 2015 18:38:41 -0600",
            "Mon, 9 Feb 2015 18:18:58 -0600",
            None,
            diag,
            "4.7.1",
        );
        assert_eq!(status_of(&expired), ErrorStatus::ResendTimeout, "{diag}");
        let same_hour = postfix(
            "Mon, 9 Feb 2015 18:38:41 -0600",
            "Mon, 9 Feb 2015 18:18:58 -0600",
            None,
            diag,
            "4.7.1",
        );
        assert_eq!(status_of(&same_hour), at_once, "{diag}");
    }
    // A refusal for the sender's reputation keeps its cause.
    let reputation = postfix(
        "Sat, 14 Feb 2015 18:38:41 -0600",
        "Mon, 9 Feb 2015 18:18:58 -0600",
        None,
        "421 4.7.0 [TSS04] Messages from 192.0.2.1 temporarily deferred due to user complaints",
        "4.7.0",
    );
    assert_eq!(status_of(&reputation), ErrorStatus::Rejected);
}

/// A gateway's plain-text report (Mimecast's layout): no DSN, the retry
/// period in words.
fn gateway_report(period: &str, code: &str) -> String {
    format!(
        "From: \"Mail Delivery System\" <mailer-daemon@gw.sender.example>\n\
To: list-bounces@sender.example\nSubject: [Postmaster] Email Delivery Failure\n\
Date: Fri, 18 Dec 2020 09:24:01 +0200\nContent-Type: text/plain; charset=UTF-8\n\n\
This is a delivery failure notification message indicating that\n\
an email list-bounces@sender.example addressed to email address :\n\
-- user@dest.example\n\n\
could not be delivered. The problem appears to be :\n\
-- Recipient server unavailable or busy\n\n\
Additional information follows :\n\
-- {code} Temporary server error. Please try again later\n\n\
This condition occurred after {period}.\n"
    )
}

#[test]
fn a_retry_period_in_words_makes_a_transient_code_a_resend_timeout() {
    let days = gateway_report(
        "30 attempt(s) to deliver over\na period of 92 hour(s) and 52 minute(s)",
        "4.4.4",
    );
    assert_eq!(status_of(&days), ErrorStatus::ResendTimeout);
    // Minutes of retrying are no queue lifetime: the code's reading stays.
    let minutes = gateway_report(
        "2 attempt(s) to deliver over\na period of 0 hour(s)",
        "4.4.4",
    );
    assert_eq!(status_of(&minutes), ErrorStatus::UnknownHost);
    // A specific transient cause outlives the period.
    let full = gateway_report(
        "30 attempt(s) over a period of 92 hour(s)",
        "4.2.2 Mailbox full.",
    );
    assert_eq!(status_of(&full), ErrorStatus::OverCapacity);
}

#[test]
fn the_returned_copy_dates_the_retries_when_nothing_else_does() {
    let report = |date: &str| {
        format!(
            "From: Mail Delivery Subsystem <mailer-daemon@mx.sender.example>\n\
To: news@sender.example\nSubject: Delivery Status Notification (Failure)\nDate: {date}\n\
MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=\"b\"\n\n\
--b\nContent-Type: text/plain\n\n\
Delivery to the following recipient failed permanently:\n\n     user@dest.example\n\n\
Technical details of permanent failure:\n\
451 4.3.0 Temporary local problem - please try later\n\n\
--b\nContent-Type: message/rfc822\n\n\
Received: by mx.sender.example with SMTP id k20;\n\tSun, 19 Oct 2008 23:10:56 -0700 (PDT)\n\
From: news@sender.example\nTo: user@dest.example\nSubject: News\n\nHello\n--b--\n"
        )
    };
    let days_later = report("Thu, 23 Oct 2008 10:50:12 -0700");
    assert_eq!(status_of(&days_later), ErrorStatus::ResendTimeout);
    let same_day = report("Sun, 19 Oct 2008 23:40:00 -0700");
    assert_eq!(status_of(&same_day), ErrorStatus::ReceiverError);
}

fn text_report(statement: &str) -> String {
    format!(
        "From: Mail Delivery Subsystem <MAILER-DAEMON@relay.example>\n\
To: sender@example.org\nSubject: Returned mail\n\n{statement}\n\n\n\
Original message follows.\n\nFrom: sender@example.org\nTo: bob@dest.example\n\
Subject: hi\n\nhello\n"
    )
}

/// A text report that states, in its own words, that the message did not
/// get through over days gave up after retrying: a resend timeout, with no
/// code and no cause (before, only the wordings of the phrase table did).
/// Within hours, or a period of something else, it is not.
#[test]
fn a_failure_stated_over_days_is_a_resend_timeout() {
    for statement in [
        "bob@dest.example: undeliverable for 3 days",
        "Your message has not been delivered to bob@dest.example after 72 hours.",
        "Cannot send message within 5 days\n\nbob@dest.example",
        "Message to bob@dest.example expired after 5 days in the queue",
        "Delivery to bob@dest.example failed: the message was in the queue for 5 days",
    ] {
        assert_eq!(
            status_of(&text_report(statement)),
            ErrorStatus::ResendTimeout,
            "{statement}"
        );
    }
    for (statement, want) in [
        (
            "Your message has not been delivered to bob@dest.example after 2 hours.",
            ErrorStatus::Other,
        ),
        (
            "Delivery to bob@dest.example failed: mailbox full, undeliverable for 3 days",
            ErrorStatus::OverCapacity,
        ),
        (
            "bob@dest.example: mailbox closed, not accessed for 90 days",
            ErrorStatus::UnknownUser,
        ),
    ] {
        assert_eq!(status_of(&text_report(statement)), want, "{statement}");
    }
}

/// A giving-up sentence far below the recipient, at the end of a long
/// session log (MDaemon): in a report of one recipient, it ends the retries
/// (before, the log's eight first lines were all the parser read, and
/// "Resolving MX records" made it an unknown host).
#[test]
fn a_giving_up_sentence_below_a_long_log_is_a_resend_timeout() {
    let mut log = String::from(
        "The attached message had PERMANENT fatal delivery errors!\n\n\
--- Session Transcript ---\n Fri 2011-09-23 08:14:02: *  To: bob@dest.example\n",
    );
    for step in [
        "Resolving MX records for [dest.example] (DNS Server: 192.0.2.53)...",
        "*  P=010 S=000 D=dest.example TTL=(60) MX=[mail.dest.example]",
        "Attempting SMTP connection to [mail.dest.example:25]",
        "Resolving A record for [mail.dest.example] (DNS Server: 192.0.2.53)...",
        "*  D=mail.dest.example TTL=(60) A=[203.0.113.201]",
        "Attempting SMTP connection to [203.0.113.201:25]",
        "Waiting for socket connection...",
        "*  Error: connection timed out (10060)",
        "Message has been in the retry system for 5 days (limit: 5 days)",
        "Message has expired and will be returned to the sender",
    ] {
        log.push_str(&format!(" Fri 2011-09-23 08:14:32: {step}\n"));
    }
    log.push_str("--- End Transcript ---");
    assert_eq!(status_of(&text_report(&log)), ErrorStatus::ResendTimeout);
}

/// MMDF states the period once, above its list of one recipient: "After 7
/// days (168 hours), your message could not be fully delivered." (before,
/// no code and no cause left it "other").
#[test]
fn a_period_stated_above_a_one_recipient_list_ends_the_retries() {
    let statement = "After 7 days (168 hours), your message could not be fully delivered.\n\n\
It failed to be received by the following address(es):\n\n    \
bob@dest.example (host: dest.example) (queue: smtp)";
    assert_eq!(
        status_of(&text_report(statement)),
        ErrorStatus::ResendTimeout
    );
}
