//! Reports written for the twenty-ninth round of issue 18 by helpers that never saw the parser,
//! its tables or its corpora (`fresh_reports/README.md`, thirty-seventh wave), labelled before
//! the parser ran on them: reports naming several recipients whose causes differ, with the
//! human-readable part in twelve other languages and their charsets (`many_causes_intl`), and
//! reports whose cause a hurried reader would confuse with another (quota and size, disabled
//! and unknown, the sender's limit and a full mailbox, codes against words, a cause only in a
//! URL or the subject) (`confusable_causes`). The misses left are listed with their reasons;
//! the test fails when one becomes right.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

#[path = "support/fresh_sets.rs"]
mod fresh_sets;

/// Misses left, as `set/file recipient` (or `set/file kind`), with why.
const KNOWN: &[(&str, &str)] = &[
    (
        "confusable_causes/13-hmailserver-generic-550-url-names-mailbox-full.eml j.vermeulen@kabelnet-oost.example",
        "a bare 550 whose cause is only a link's anchor ('#MBOX_FULL'): the bare 550 is the mailbox's (2); the label says 5",
    ),
    (
        "many_causes_intl/04-t-online-cause-headings-plus-failed-addresses-block.eml gerd.pohl@example.net",
        "causes listed under headings and the addresses in a block of their own below: each address is read with the heading nearest above its block (5); the label says 2",
    ),
    (
        "many_causes_intl/04-t-online-cause-headings-plus-failed-addresses-block.eml kegelfreunde@vereinsserver_example.de",
        "a domain with an underscore ('vereinsserver_example.de') is no domain to the reader: not named",
    ),
    (
        "many_causes_intl/04-t-online-cause-headings-plus-failed-addresses-block.eml oma.inge@freenet-example.de",
        "as gerd.pohl: another heading's cause (9); the label says 5",
    ),
    (
        "many_causes_intl/10-laposte-fr-cause-headings-disabled-quota-unstated.eml s.morel@universite-example.fr",
        "'a refusé le message sans en préciser la raison' names no cause; its block is read with the quota heading above (5); the label says 99",
    ),
    (
        "many_causes_intl/17-terra-ptbr-base64-badsyntax-forward-unstated.eml lu.campos@example.com.br",
        "'Não foi possível entregar a mensagem' names no cause; the block holds the others' causes (2); the label says 99",
    ),
    (
        "many_causes_intl/19-libero-it-paragraphs-unknown-full-blacklist.eml marco.g@studio-galli.example",
        "named in an Italian sentence ('… ha rifiutato il messaggio …') with no recipient label or failure statement the reader places it by: not named",
    ),
    (
        "many_causes_intl/26-interia-pl-8bit-blocked-forwardfail-unstated.eml sklep@rowery-example.pl",
        "'Nie udało się dostarczyć wiadomości' names no cause; the block, holding another recipient's failed forward, is read (6); the label says 99",
    ),
    (
        "many_causes_intl/30-rambler-koi8r-forward-blocked-unstated.eml lena.g@ural-example.ru",
        "'письмо не может быть доставлено' names no cause; the block is read (2); the label says 99",
    ),
    (
        "many_causes_intl/30-rambler-koi8r-forward-blocked-unstated.eml vika.orlova@rambler.example",
        "the Russian forward failure ('настроена пересылка … отказался её принять') is not in the tables (2); the label says 6",
    ),
    (
        "many_causes_intl/32-netease163-gb2312-cause-headings-nxdomain-unstated-size.eml liu.yang@dianzi-keji.example",
        "listed under a bracketed Chinese heading ('【域名不存在】') with no recipient label: not named",
    ),
    (
        "many_causes_intl/36-sendmail-jp-isp-iso2022jp-preface-unknown-hostunknown-full.eml office@kaisha-example.jp",
        "'宛先のドメイン名が存在しません' after the address reads as '存在しません' (2), which with the bare 550 outweighs the DSN's 5.1.2 (two of three); the label says 1",
    ),
];

#[test]
fn several_recipients_each_with_its_own_cause_in_other_languages() {
    fresh_sets::check("many_causes_intl", KNOWN);
}

#[test]
fn causes_a_hurried_reader_confuses() {
    fresh_sets::check("confusable_causes", KNOWN);
}
