//! Reports written for the thirty-third round of issue 18 by helpers that never saw the parser,
//! its tables or its corpora (`fresh_reports/README.md`, fifty-first wave), labelled before the
//! parser ran on them: failed recipients written in unusual forms (percent hacks, source routes,
//! bang paths, quoted local parts, X.400 and Exchange encapsulations, a local part alone) beside
//! other addresses (`address_forms2`); less common mail systems of 1995–2015 in their own
//! templates (`obscure_mtas2`); RFC 3464 reports whose Status, Diagnostic-Code and text disagree
//! (`dsn_status_words`); European consumer ISPs of 1998–2015 in their languages and charsets
//! (`euro_isps_old`).
//! The misses left are listed with their reasons; the test fails when one becomes right.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

#[path = "support/fresh_sets.rs"]
mod fresh_sets;

/// Misses left, as `set/file recipient` (or `set/file kind`), with why.
const KNOWN: &[(&str, &str)] = &[
    (
        "euro_isps_old/35-clix-dominio-inexistente-e-sintaxe.eml rui.santos@tipografia santos.example",
        "an address with an unquoted space is no address to the address finder: its first words are read",
    ),
    (
        "euro_isps_old/35-clix-dominio-inexistente-e-sintaxe.eml rui.santos@tipografia",
        "as above: the address cut at its space is named",
    ),
    (
        "dsn_status_words/05-haraka-571-no-such-user.eml accounts.payable@quarrytown-dairy.example",
        "\"Delivery not authorized\", X.7.1's own description, is tied to that code in the table and outranks \"no such user\" beside it (4); the label says the words' unknown user (2)",
    ),
    (
        "dsn_status_words/26-courier-511-relaying-denied.eml labresults@pawsdiagnostics.example",
        "5.1.1 decides against \"Relaying denied. Proper authentication required.\": the deciding phrase is the authentication one, which is not among the refusals that outweigh an address code (2); the label says relaying denied (7)",
    ),
    (
        "address_forms2/10-mdaemon-permanent-failure-timeouts.eml marketing-communications-emea-distribution@events.example.de",
        "MDaemon's session transcript is read as the recipient's paragraph only as far as its line limit, which ends at the MX lookup's log lines (read as a DNS trouble, 1) before the timeouts and \"Maximum delivery attempts reached\"; the label says the give-up (3)",
    ),
    (
        "address_forms2/30-sendmail87-uucp-bang-at-mixed.eml widget!mkt!lisa@uucp-gw.example.com",
        "Sendmail's \"unknown mailer error 1\" is read as a server error (7) over uux's \"System not found\"; the label says an unknown host or other (1, 99)",
    ),
];

#[test]
fn unusual_address_forms() {
    fresh_sets::check("address_forms2", KNOWN);
}

#[test]
fn less_common_mail_systems() {
    fresh_sets::check("obscure_mtas2", KNOWN);
}

#[test]
fn status_code_and_words_disagree() {
    fresh_sets::check("dsn_status_words", KNOWN);
}

#[test]
fn european_isps_of_1998_to_2015() {
    fresh_sets::check("euro_isps_old", KNOWN);
}
