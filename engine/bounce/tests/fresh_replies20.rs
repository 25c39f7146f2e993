//! Remote servers' replies as sending services' logs and self-hosted senders' mail logs show them
//! (`tests/data/fresh_replies20.tsv`), collected for the twenty-sixth round by a helper that never
//! saw the parser, its tables or its corpora, labelled before the parser ran on them. Each must
//! classify as one of the statuses it accepts; the rows still misread are listed, and the test
//! fails when one becomes right. 28 of 200 were misread at f126297.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

mod reply_table;

const KNOWN: &[(&str, &str)] = &[
    (
        "451 4.4.4 Temporary server error. Please try again later ATTR1",
        "no phrase or cause word of the tables holds this wording: read as 1 from the code or nothing; the label says 7",
    ),
    (
        "501 5.1.7 Bad address mailbox syntax.",
        "no phrase or cause word of the tables holds this wording: read as 4 from the code or nothing; the label says 9",
    ),
    (
        "554 nycirprmg02.iap.example.com",
        "no phrase or cause word of the tables holds this wording: read as 4 from the code or nothing; the label says 99",
    ),
    (
        "554-kundenserver.de (mxeue002) Nemesis ESMTP Service not available 554-No SMTP service 554 invalid DNS PTR resource record, IP=192.0.2.10",
        "read as 7 by 'no smtp service'; the label says 4",
    ),
    (
        "554 inchng01.example.com",
        "no phrase or cause word of the tables holds this wording: read as 4 from the code or nothing; the label says 99",
    ),
    (
        "554 Recipients' domain disabled",
        "no phrase or cause word of the tables holds this wording: read as 4 from the code or nothing; the label says 1,7",
    ),
    (
        "550-Requested action not taken: mailbox unavailable 550 invalid DNS MX or A/AAAA resource record",
        "read as 2 by 'requested action not taken: mailbox unavailable'; the label says 4,1",
    ),
    (
        "550 5.2.0 Mail rejete. Mail rejected. ofr_506 [506]",
        "read as 4 by 'rejected'; the label says 99",
    ),
    (
        "452 too many recipients",
        "read as 4 by 'too many recipients'; the label says 99",
    ),
    (
        "450 4.1.1 <post@no.example>: Recipient address rejected: unverified address: Recipient address lookup failed",
        "read as 2 by 'recipient address rejected'; the label says 7",
    ),
    (
        "451 4.5.1 The recipient <user@example.org> has exceeded their message rate limit. Try again later. sbr47PA4-sbr4Rewq",
        "read as 4 by 'rate limit'; the label says 5",
    ),
    (
        "554 5.5.1 Error: no valid recipients",
        "read as 2 by 'no valid recipients'; the label says 99",
    ),
    (
        "553 <user@example.com> Invalid email address.",
        "read as 2 by '[mailbox] before: unable to locate | could not locate | cannot locate | no such | disabled | deactivated | inactive | suspended | closed | terminated | discontinued | locked | nonexistent | nonexisting | unknown | invalid | unrecognized | unrecognised | could not find | cannot find | did not find | unbekannter | unbekannte | unbekanntes | ungültiger | ungültige | ungültiges | deaktiviertes | deaktivierter | gesperrtes | gesperrter | nicht existierender | nicht existierende | nicht existierendes | onbekende | ongeldige | несуществующий | несуществующая | неизвестный | неизвестная | neznámý | neznamy | neznámá | neznama | neznámé | nezname | neznámou | neznamou | neexistující | neexistujici | neplatný | neplatny | neplatná | neplatna | neplatnou | zrušený | zruseny | zrušená | zrusena | deaktivovaný | deaktivovany | deaktivovaná | deaktivovana | zablokovaný | zablokovany | zablokovaná | zablokovana | neaktivní | neaktivni | nelze najít | nelze najit | neznámy | neznámu | neznamu | neexistujúci | neexistujuci | neexistujúca | neexistujuca | neexistujúcu | neexistujucu | neplatnú | neplatnu | neaktívna | neaktivna | neaktívny | neaktivny | nepodarilo sa nájsť | nepodarilo sa najst | неіснуючий | неіснуюча | неіснуючу | невідомий | невідома | невідому | недійсний | недійсна | недійсну | bilinmeyen | geçersiz | gecersiz | mevcut olmayan | var olmayan | böyle bir | boyle bir | tanınmayan | taninmayan | kapatılmış | kapatilmis | devre dışı bırakılmış | devre disi birakilmis | άγνωστος | αγνωστος | άγνωστη | αγνωστη | άγνωστο | αγνωστο | ανύπαρκτος | ανυπαρκτος | ανύπαρκτη | ανυπαρκτη | ανύπαρκτο | ανυπαρκτο | μη έγκυρη | μη εγκυρη | μη έγκυρος | μη εγκυρος | μη έγκυρο | μη εγκυρο | ανενεργός | ανενεργος | ανενεργή | ανενεργη | απενεργοποιημένος | απενεργοποιημενος | απενεργοποιημένη | απενεργοποιημενη | απενεργοποιημένο | απενεργοποιημενο | δεν βρέθηκε | δεν βρεθηκε | δεν υπάρχει | δεν υπαρχει | okänd | okand | okänt | okant | ogiltig | ogiltigt | obefintlig | obefintligt | icke-existerande | icke existerande | inaktiverad | inaktiverat | avstängd | avstangd | avstängt | avstangt | spärrad | sparrad | spärrat | sparrat | ingen sådan | ingen sadan | inget sådant | inget sadant | ukendt | ukjent | ugyldig | ugyldigt | ikke-eksisterende | ikke eksisterende | ikkeeksisterende | deaktiveret | deaktivert | spærret | sperret | lukket | ingen slik | inaktiv | tuntematon | virheellinen | olematon | suljettu | poistettu | lakkautettu | deaktivoitu | ismeretlen | érvénytelen | ervenytelen | nem létező | nem letezo | nemlétező | nemletezo | letiltott | megszűnt | megszunt | megszüntetett | megszuntetett | törölt | torolt | inaktív | felfüggesztett | felfuggesztett | nu există | nu exista | nu s-a găsit | nu s-a gasit | nu a fost găsit | nu a fost gasit | nu a fost găsită | nu a fost gasita | nu s-a putut găsi | nu s-a putut gasi | אין | לא נמצאה | לא נמצא | לא קיימת | לא קיים | لا يوجد | لا توجد | لم يتم العثور على | تعذر العثور على | تعذ\\u{651}ر العثور على | لا يمكن العثور على | không tìm thấy | khong tim thay | không có | khong co | không tồn tại | khong ton tai | deaktivierte | stillgelegtes | stillgelegte | stillgelegter | inaktives | inaktive | inaktiver | gekündigtes | gekündigte | uitgeschakelde | geblokkeerde | opgeheven | niet-bestaande | niet bestaande | gedeactiveerde | inactieve | brak takiego | немає такого | tidak ada'; the label says 9",
    ),
    (
        "501 MAIL command contained invalid address",
        "read as 2 by 'invalid address'; the label says 99",
    ),
    (
        "451 5.4.0 No usable MXs, last err: dns: domain must be fully qualified",
        "no phrase or cause word of the tables holds this wording: read as 7 from the code or nothing; the label says 1,9",
    ),
    (
        "501 5.1.7 Bad sender address syntax",
        "no phrase or cause word of the tables holds this wording: read as 4 from the code or nothing; the label says 99",
    ),
    (
        "5.5.0 error while reading body",
        "no phrase or cause word of the tables holds this wording: read as 99 from the code or nothing; the label says 7",
    ),
    (
        "Message rejected by Google Groups.",
        "read as 4 by 'rejected'; the label says 99",
    ),
    (
        "421 Try again later (192.0.2.152). Please contact abuse@corp.example.",
        "no phrase or cause word of the tables holds this wording: read as 7 from the code or nothing; the label says 4",
    ),
];

#[test]
fn replies_from_sending_logs() {
    let rows = reply_table::rows("fresh_replies20.tsv");
    assert_eq!(rows.len(), 200);
    reply_table::check(&rows, KNOWN, false);
}
