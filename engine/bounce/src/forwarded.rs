//! A reply or paragraph saying the recipient's forward failed ("forwarding
//! to b@home.example failed - remote server said: 550 5.1.1 user unknown",
//! "sieve redirect to <b@x> failed: …", "メール転送に失敗しました"): the
//! cause that follows is the forward target's, and the recipient's own
//! status is a forwarding error (SPEC §13.5, 6). Read as the target's
//! unknown user, it would block a working address for its owner's broken
//! forward.

use std::sync::OnceLock;

use aho_corasick::AhoCorasick;

use crate::ErrorStatus;

/// Words naming a forward, whole words in the normalised text. Not the bare
/// verb "forward" ("please forward this to your administrator").
const FORWARD: &[&str] = &[
    "forwarding",
    "forwarder",
    "forwarded to",
    "auto-forward",
    "autoforward",
    "auto-forwarding",
    "redirect to",
    "redirection",
    "weiterleitung",
    "weitergeleitet",
    "transfert",
    "réexpédition",
    "reenvío",
    "redireccionamiento",
    "inoltro",
    "encaminhamento",
    "reencaminhamento",
    "przekierowanie",
    "przekazanie",
    "переадресация",
    "пересылка",
    "videresending",
    "videresendelse",
    "videresendelsen",
    "vidarebefordran",
    "vidarebefordring",
    "doorsturen",
    "doorsturing",
    "forward delivery",
    "forwarding address",
    "forwards to",
    "forward target",
    "forwards mail to",
    "forwards all mail to",
    "redirects to",
    "forward everything to",
    "forwards everything to",
    // Hungarian, Romanian, Turkish.
    "továbbítása",
    "redirecționarea",
    "yönlendirme",
];

/// What follows such a word, within `WINDOW` words, when the forward failed
/// or is not allowed ("forwarding to external address is prohibited").
const FAILED: &[&str] = &[
    "failed",
    "failure",
    "unsuccessful",
    "prohibited",
    "not allowed",
    "not permitted",
    "denied",
    "fehlgeschlagen",
    "abgelehnt",
    "zurückgewiesen",
    "échoué",
    "échec",
    "falló",
    "ha fallado",
    "fallado",
    "fallido",
    "fallito",
    "falhou",
    "nie powiodło",
    "не удалась",
    "не выполнена",
    "rejected",
    "refused",
    "unreachable",
    "restricted",
    "invalid",
    "not valid",
    "no longer exists",
    "mislykkedes",
    "mislyktes",
    "misslyckades",
    "mislukt",
    "non riuscito",
    "non è riuscito",
    "sikertelen",
    "a eșuat",
    "iletilemedi",
    "başarısız",
];

/// A forward and its failure in one phrase: scripts written without
/// spaces, and languages that name the failure first ("échec du renvoi",
/// "ошибка пересылки").
const UNSPACED: &[&str] = &[
    // Sendmail names the user's forward file and its line before the
    // error it met there ("/home/j/.forward: line 1: |procmail... Can't
    // create output"). (Exim's "error in forward file" is a phrase of the
    // table, as its "error in redirect file".)
    "/.forward: line",
    "не удалось переслать",
    "falha ao encaminhar",
    "échec du renvoi",
    "échec du transfert",
    "error while forwarding",
    "error forwarding",
    "échec de la redirection",
    "ошибка пересылки",
    "ошибка переадресации",
    "fehler bei der weiterleitung",
    "fehler beim weiterleiten",
    "error al reenviar",
    "no se pudo reenviar",
    "erro ao encaminhar",
    "errore durante l'inoltro",
    "error de reenvío",
    "errore di inoltro",
    "erro de encaminhamento",
    "forwarding error",
    "転送に失敗",
    "転送できません",
    "転送できませんでした",
    "转发失败",
    "轉寄失敗",
    // Korean 전달 alone is any delivery ("메일을 전달하지 못했습니다"): a
    // forward is an automatic one or the loanword.
    "자동 전달 실패",
    "자동 전달에 실패",
    "자동전달 실패",
    "포워딩 실패",
    "포워딩에 실패",
    "cannot forward",
    "could not forward",
    "unable to forward",
    "failed to forward",
];

/// How many words after the forward word its failure may come (the
/// target's address and a preposition between: "forwarding to <b@x>
/// failed", "forwarding to an external address is not permitted").
const WINDOW: usize = 8;

/// Both word lists in one automaton: most texts name no forward, and are
/// read once.
fn words() -> Option<&'static AhoCorasick> {
    static AC: OnceLock<Option<AhoCorasick>> = OnceLock::new();
    AC.get_or_init(|| AhoCorasick::new(FORWARD.iter().chain(UNSPACED)).ok())
        .as_ref()
}

/// Whether `status` can be the forward target's own cause, standing in a
/// forwarding failure's reply: its mailbox, domain, size, policy or
/// server.
pub(crate) fn target_side(status: ErrorStatus) -> bool {
    matches!(
        status,
        ErrorStatus::UnknownUser
            | ErrorStatus::UnknownHost
            | ErrorStatus::Rejected
            | ErrorStatus::OverCapacity
            | ErrorStatus::Oversize
            | ErrorStatus::AddressFormat
            | ErrorStatus::ReceiverError
    )
}

/// Whether lower-case `text` names a forward at all: a cheap test before
/// normalising a text to read it with [`forward_failed`].
pub(crate) fn mentions_forward(lower: &str) -> bool {
    words().is_some_and(|ac| ac.is_match(lower))
}

/// Whether normalised `norm` says a forward failed.
pub(crate) fn forward_failed(norm: &str) -> bool {
    if !words().is_some_and(|ac| ac.is_match(norm)) {
        return false;
    }
    if UNSPACED.iter().any(|p| norm.contains(p)) {
        return true;
    }
    FORWARD.iter().any(|w| {
        norm.match_indices(w).any(|(at, _)| {
            let before = norm.get(..at).unwrap_or("");
            let after = norm.get(at + w.len()..).unwrap_or("");
            // A whole word, not part of a host name ("a@forwarder.example":
            // a domain's label, its reply about the mailbox).
            let in_host = before.ends_with(['@', '.'])
                || after.starts_with('.')
                    && after
                        .get(1..)
                        .is_some_and(|r| r.starts_with(char::is_alphanumeric));
            let whole = !before.ends_with(|c: char| c.is_alphanumeric() || c == '-')
                && !after.starts_with(|c: char| c.is_alphanumeric() || c == '-')
                && !in_host;
            let window: Vec<&str> = norm
                .get(at + w.len()..)
                .unwrap_or("")
                .split(' ')
                .skip(1)
                .take(WINDOW)
                .collect();
            let window = window.join(" ");
            whole && FAILED.iter().any(|f| window.contains(f))
        })
    })
}

#[cfg(test)]
mod tests {
    use super::forward_failed;

    #[test]
    fn a_forward_and_its_failure() {
        for t in [
            "550 5.1.0 nobody@zoho.example: forwarding to fwd@example.org failed - remote server said: 550 5.1.1 user unknown",
            "554 5.0.0 sieve redirect to <fwd@example.org> failed: 550 5.1.1 user unknown",
            "(generated from nobody@example.com: forwarder failed, host mx.example.org)",
            "przekierowanie na inny adres nie powiodło się",
            "宛先のお客さまが設定しているメール転送に失敗しました",
            "échec du renvoi (forward) : 550 5.1.1 user unknown",
            "ошибка пересылки: 550 5.2.1 mailbox is disabled",
            "550 5.7.1 message forwarding to external address is prohibited",
            "videresendelsen mislykkedes: 550 5.1.1 user unknown",
            "set to forward everything to b@x.example, and that outside address no longer exists",
        ] {
            assert!(forward_failed(t), "{t}");
        }
        for t in [
            "please forward this message to your administrator. delivery failed",
            "다음 수신자에게 메일을 전달하지 못했습니다",
            "550 5.1.1 user unknown",
            "the forwarding address is set. 550 user unknown. the message was",
            // A host named so: its reply is about the mailbox.
            "<lordfrags@forwarder.projecthub.example>: recipient address rejected: user unknown",
            "said: 550 5.1.1 <a@mx.forwarding.example> rejected",
        ] {
            assert!(!forward_failed(t), "{t}");
        }
    }
}
