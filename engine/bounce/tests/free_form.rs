//! Reports in no known MTA's layout: a provider's or a small mail system's
//! own sentences around the recipient and the cause ("Recipient: … /
//! Reason: …", "Your mail to … was rejected: …", a cause on the line after
//! the address), in English and other languages. Each must name its
//! recipient with the status its words give. Written for this test from how
//! such notices are worded, not copied from any corpus message.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use hikyaku_bounce::{parse, ErrorStatus, Kind};

fn report(body: &str) -> String {
    format!(
        "From: Mail Delivery System <MAILER-DAEMON@mx.sender.example>\n\
To: app@sender.example\nSubject: Undelivered Mail Returned to Sender\n\
Date: Tue, 01 Dec 2026 09:00:00 +0000\nMessage-ID: <r-1@mx.sender.example>\n\
MIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\n\
Content-Transfer-Encoding: 8bit\n\n{body}"
    )
}

#[test]
fn free_form_reports_name_the_recipient_and_the_cause() {
    use ErrorStatus::*;
    let cases: &[(&str, &[(&str, ErrorStatus)])] = &[
        ("We could not deliver your message to jdoe@dest.example.\nThe mailbox is full.\n", &[("jdoe@dest.example", OverCapacity)]),
        ("Delivery to the following recipient failed permanently:\n\n     jdoe@dest.example\n\nReason: the account has been disabled\n", &[("jdoe@dest.example", UnknownUser)]),
        ("Your message could not be delivered.\n\nRecipient: jdoe@dest.example\nReason: mailbox unknown\n", &[("jdoe@dest.example", UnknownUser)]),
        ("Failed to deliver to 'jdoe@dest.example'\nSMTP module(domain dest.example) reports:\n host mx.dest.example says:\n 550 5.1.1 User unknown\n", &[("jdoe@dest.example", UnknownUser)]),
        ("Sorry, we were unable to deliver your message to the following address.\n\n<jdoe@dest.example>:\nRemote host said: 552 5.2.2 Mailbox over quota [RCPT_TO]\n", &[("jdoe@dest.example", OverCapacity)]),
        ("The following message could not be delivered because the recipient's domain does not exist:\n\n  To: jdoe@nowhere.example\n", &[("jdoe@nowhere.example", UnknownHost)]),
        ("Message delivery to 'jdoe@dest.example' failed.\nThe message is too large for the recipient's mailbox (limit 10 MB).\n", &[("jdoe@dest.example", Oversize)]),
        ("This is an automatically generated Delivery Status Notification.\n\nDelivery to the following recipients failed.\n\n       jdoe@dest.example\n\nThe e-mail address doesn't exist. Please check the address.\n", &[("jdoe@dest.example", UnknownUser)]),
        ("Undeliverable message\n\njdoe@dest.example - The recipient's mail server rejected the message as spam.\n", &[("jdoe@dest.example", Rejected)]),
        ("Hi. This is the mail delivery agent at mx.sender.example.\nI tried to deliver your message for 5 days and gave up.\n\n<jdoe@dest.example>: connection to mx.dest.example timed out\n", &[("jdoe@dest.example", ResendTimeout)]),
        ("Your mail to jdoe@dest.example was rejected: relaying denied.\n", &[("jdoe@dest.example", ReceiverError)]),
        ("We're sorry, but your email to jdoe@dest.example bounced.\nThe recipient's inbox is full and can't accept new messages.\n", &[("jdoe@dest.example", OverCapacity)]),
        ("Die Nachricht konnte nicht zugestellt werden.\n\nEmpfänger: jdoe@dest.example\nGrund: Das Postfach des Empfängers ist voll.\n", &[("jdoe@dest.example", OverCapacity)]),
        ("Votre message n'a pas pu être remis.\n\nDestinataire : jdoe@dest.example\nRaison : l'utilisateur n'existe pas.\n", &[("jdoe@dest.example", UnknownUser)]),
        ("メールを配送できませんでした。\n\n宛先: jdoe@dest.example\n理由: ユーザーが見つかりません\n", &[("jdoe@dest.example", UnknownUser)]),
        ("Delivery has failed to these recipients or groups:\n\njdoe@dest.example (jdoe@dest.example)\nThe recipient's mailbox is full and can't accept messages now.\n\nmsmith@dest.example\nThe email address you entered couldn't be found.\n", &[("jdoe@dest.example", OverCapacity), ("msmith@dest.example", UnknownUser)]),
        ("Reason: user does not exist\nAddress: jdoe@dest.example\n", &[("jdoe@dest.example", UnknownUser)]),
        ("The message you sent to dest.example/jdoe was rejected because the mailbox is over quota.\n\nRecipient: <jdoe@dest.example>\n", &[("jdoe@dest.example", OverCapacity)]),
        ("Your message was not delivered to the following recipients:\n\n* jdoe@dest.example: account suspended\n* msmith@dest.example: message too large\n", &[("jdoe@dest.example", UnknownUser), ("msmith@dest.example", Oversize)]),
        ("Error delivering to jdoe@dest.example:\n   The domain dest.example has no mail server.\n", &[("jdoe@dest.example", UnknownHost)]),
        ("Unable to deliver to jdoe@dest.example after 5 days of retries. Last error: connection timed out.\n", &[("jdoe@dest.example", ResendTimeout)]),
        ("Mail to \"John Doe\" <jdoe@dest.example> could not be delivered: the address is no longer valid.\n", &[("jdoe@dest.example", UnknownUser)]),
        ("Notification: delivery failure\n\nTo: jdoe@dest.example\nStatus: 5.2.2 (mailbox full)\n", &[("jdoe@dest.example", OverCapacity)]),
        ("The recipient jdoe@dest.example rejected your message: Message content rejected, spam suspected.\n", &[("jdoe@dest.example", Rejected)]),
        ("El mensaje no se pudo entregar a jdoe@dest.example.\nMotivo: el buzón del destinatario está lleno.\n", &[("jdoe@dest.example", OverCapacity)]),
        ("Il messaggio non è stato consegnato a jdoe@dest.example.\nMotivo: utente sconosciuto.\n", &[("jdoe@dest.example", UnknownUser)]),
        ("Bericht kon niet worden afgeleverd bij jdoe@dest.example.\nReden: het postvak van de ontvanger is vol.\n", &[("jdoe@dest.example", OverCapacity)]),
        ("A mensagem não pôde ser entregue para jdoe@dest.example.\nMotivo: a conta está desativada.\n", &[("jdoe@dest.example", UnknownUser)]),
        ("Сообщение не доставлено адресату jdoe@dest.example.\nПричина: пользователь не найден.\n", &[("jdoe@dest.example", UnknownUser)]),
        ("邮件无法投递到 jdoe@dest.example。\n原因：用户不存在。\n", &[("jdoe@dest.example", UnknownUser)]),
    ];
    let mut wrong = Vec::new();
    for (body, want) in cases {
        let r = parse(report(body).as_bytes());
        let got: Vec<(&str, ErrorStatus)> = r
            .recipients
            .iter()
            .map(|f| (f.recipient.as_str(), f.status))
            .collect();
        if r.kind != Kind::NonStandard || got != *want {
            wrong.push(format!("{:?} {got:?}, want {want:?}: {body:?}", r.kind));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// RFC 3463's X.1.8 is the sender's system: "does not exist" there is ours.
#[test]
fn a_sender_code_makes_what_does_not_exist_ours() {
    let cl = hikyaku_bounce::Classifier::builtin();
    let s = |t: &str| cl.classify(None, None, t);
    assert_eq!(
        s("553 5.1.8 Domain does not exist: sender@example.invalid"),
        ErrorStatus::Rejected
    );
    assert_eq!(
        s("550 5.1.2 The recipient's domain does not exist:"),
        ErrorStatus::UnknownHost
    );
}

/// Reports in languages the start sentences do not cover, with no code:
/// the recipient is named on the cause alone, a weak "does not exist" word
/// included ("Användaren finns inte").
#[test]
fn localized_free_form_reports_name_the_recipient() {
    let cases: &[(&str, &str, u8)] = &[
        (
            "Nie można dostarczyć wiadomości do następującego odbiorcy:",
            "Skrzynka odbiorcy jest pełna.",
            5,
        ),
        (
            "Nie można dostarczyć wiadomości do następującego odbiorcy:",
            "Użytkownik nie istnieje.",
            2,
        ),
        (
            "Zprávu nebylo možné doručit těmto příjemcům:",
            "Uživatel neexistuje.",
            2,
        ),
        (
            "Zprávu nebylo možné doručit těmto příjemcům:",
            "Poštovní schránka je plná.",
            5,
        ),
        (
            "İletiniz aşağıdaki alıcıya teslim edilemedi:",
            "Kullanıcı bulunamadı.",
            2,
        ),
        (
            "Az üzenetet nem sikerült kézbesíteni a következő címzettnek:",
            "A felhasználó nem létezik.",
            2,
        ),
        (
            "Meddelandet kunde inte levereras till följande mottagare:",
            "Användaren finns inte.",
            2,
        ),
        (
            "Meddelandet kunde inte levereras till följande mottagare:",
            "Mottagarens brevlåda är full.",
            5,
        ),
        (
            "Meddelelsen kunne ikke leveres til følgende modtager:",
            "Brugeren findes ikke.",
            2,
        ),
        (
            "Το μήνυμά σας δεν ήταν δυνατό να παραδοθεί στον παρακάτω παραλήπτη:",
            "Ο χρήστης δεν υπάρχει.",
            2,
        ),
        (
            "다음 수신자에게 메일을 배달하지 못했습니다:",
            "사용자가 존재하지 않습니다.",
            2,
        ),
        (
            "Không thể gửi thư đến người nhận sau:",
            "Người dùng không tồn tại.",
            2,
        ),
        (
            "Pesan Anda tidak dapat dikirim ke penerima berikut:",
            "Pengguna tidak ditemukan.",
            2,
        ),
        (
            "Pesan Anda tidak dapat dikirim ke penerima berikut:",
            "Kotak surat penerima penuh.",
            5,
        ),
        (
            "Ваше повідомлення не може бути доставлене отримувачу:",
            "Користувача не знайдено.",
            2,
        ),
        (
            "Viestiä ei voitu toimittaa seuraavalle vastaanottajalle:",
            "Käyttäjää ei ole olemassa.",
            2,
        ),
    ];
    let mut wrong = Vec::new();
    for (start, cause, want) in cases {
        let msg = format!(
            "From: Mail Delivery System <MAILER-DAEMON@mx.sender.example>\nTo: app@sender.example\n\
Subject: Notification\nMIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\n\
Content-Transfer-Encoding: 8bit\n\n{start}\n\njdoe@dest.example\n{cause}\n"
        );
        let got: Vec<(String, u8)> = parse(msg.as_bytes())
            .recipients
            .iter()
            .map(|f| (f.recipient.clone(), f.status.as_u8()))
            .collect();
        if got != vec![("jdoe@dest.example".to_string(), *want)] {
            wrong.push(format!("{got:?}, want {want}: {cause}"));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// Absence notices and acknowledgements sent without `Auto-Submitted` or a
/// vendor's header: their words make them auto-replies, naming nobody.
#[test]
fn absence_notices_without_headers_are_auto_replies() {
    let cases: &[(&str, &str)] = &[
        ("Out of Office", "I am out of the office until Monday, December 7, with limited access to email.\nFor urgent matters please contact my colleague jane@dest.example.\n"),
        ("Automatic reply: Your order", "Thank you for your email. I am currently on vacation and will respond when I return on 12/10.\n"),
        ("Auto: Your order", "I'm away from my desk and will get back to you as soon as possible.\n"),
        ("Away", "I will be away from 1 to 15 December and have no access to my mailbox. Your message will not be forwarded.\n"),
        ("Re: Your order", "This is an automated response. I am on annual leave and will return on 5 January.\n"),
        ("Abwesenheitsnotiz", "Vielen Dank für Ihre Nachricht. Ich bin bis einschließlich 10.12. nicht im Büro und habe keinen Zugriff auf meine E-Mails.\n"),
        ("Absence", "Bonjour, je suis absent du bureau jusqu'au 8 décembre. Je traiterai votre message à mon retour.\n"),
        ("Fuera de la oficina", "Estoy fuera de la oficina hasta el lunes. Responderé a su correo a mi regreso.\n"),
        ("不在通知", "お問い合わせありがとうございます。12月10日まで休暇のため不在にしております。\n"),
        ("Thanks for contacting us", "We have received your message and a member of our support team will reply within 24 hours. Your ticket number is 12345.\n"),
        ("Automatic reply: Your order", "I no longer work at Dest Example. Please direct your inquiries to sales@dest.example.\n"),
        ("On leave", "I am currently on maternity leave and will not be checking email regularly.\n"),
        // Outlook's prefixes and absence subjects in more languages.
        ("Автоответ: Your order", "Я в отпуске до 7 декабря. По срочным вопросам обращайтесь к jane@dest.example.\n"),
        ("Odpowiedź automatyczna: Your order", "Jestem poza biurem do 7 grudnia. W pilnych sprawach proszę kontaktować się z jane@dest.example.\n"),
        ("Frånvaro: Your order", "Jag är ledig till den 7 december. Vid brådskande ärenden kontakta jane@dest.example.\n"),
        ("Otomatik yanıt: Your order", "7 Aralık tarihine kadar ofis dışındayım. Acil durumlarda jane@dest.example ile iletişime geçin.\n"),
        ("자동 회신: Your order", "12월 7일까지 휴가 중입니다. 급한 용무는 jane@dest.example 로 연락 주십시오.\n"),
        ("Automaattinen vastaus: Your order", "Olen lomalla 7.12. asti.\n"),
    ];
    let mut wrong = Vec::new();
    for (subject, body) in cases {
        let msg = format!(
            "From: John Doe <jdoe@dest.example>\nTo: app@sender.example\nSubject: {subject}\n\
Date: Tue, 01 Dec 2026 09:00:00 +0000\nMessage-ID: <ooo-1@dest.example>\n\
In-Reply-To: <orig-1@sender.example>\nMIME-Version: 1.0\n\
Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\n{body}"
        );
        let r = parse(msg.as_bytes());
        if r.kind != Kind::AutoReply || !r.recipients.is_empty() {
            wrong.push(format!("{:?} {:?}: {subject}", r.kind, r.recipients));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// Delay warnings in free wording, with their own subject and with a neutral
/// one ("Mail delivery notification"): warnings, never failures (a failure
/// here would fail a delivery that is still being retried).
#[test]
fn free_form_delay_warnings_fail_nobody() {
    let cases: &[(&str, &str)] = &[
        ("Delivery delayed", "Your message to jdoe@dest.example has not been delivered yet. We will keep trying for 4 more days.\nYou do not need to resend your message.\n"),
        ("Warning: message still undelivered", "This is a warning only. The message to jdoe@dest.example could not be delivered for 24 hours.\nThe server will continue trying until 5 days have passed.\n"),
        ("Delayed Mail (still being retried)", "The following recipient has not yet received your message:\n\n  jdoe@dest.example\n\nReason: 451 4.2.2 Mailbox temporarily full\nDelivery will be retried automatically.\n"),
        ("Message delivery delayed", "Delivery to jdoe@dest.example is delayed. The remote server said: 421 4.7.0 Try again later.\nNo action is required on your part; we will retry.\n"),
        ("Zustellung verzögert", "Ihre Nachricht an jdoe@dest.example konnte bisher nicht zugestellt werden. Es wird weiterhin versucht, die Nachricht zuzustellen.\nSie müssen die Nachricht nicht erneut senden.\n"),
        ("Remise différée", "Votre message à jdoe@dest.example n'a pas encore été remis. Nous continuerons d'essayer pendant 3 jours.\nVous n'avez pas besoin de renvoyer votre message.\n"),
        ("配信遅延のお知らせ", "jdoe@dest.example 宛のメールはまだ配信されていません。引き続き配信を試みます。\n再送信の必要はありません。\n"),
        ("Delivery Status Notification (Delay)", "Delivery to the following recipient has been delayed:\n\n     jdoe@dest.example\n\nMessage will be retried for 2 more day(s)\n"),
        ("Mail delivery notification", "Your message to jdoe@dest.example has not been delivered yet. We will keep trying for 4 more days.\nYou do not need to resend your message.\n"),
        ("Mail delivery notification", "This is a warning only. The message to jdoe@dest.example could not be delivered for 24 hours.\nThe server will continue trying until 5 days have passed.\n"),
        ("Mail delivery notification", "The following recipient has not yet received your message:\n\n  jdoe@dest.example\n\nReason: 451 4.2.2 Mailbox temporarily full\nDelivery will be retried automatically.\n"),
        ("Mail delivery notification", "Delivery to jdoe@dest.example is delayed. The remote server said: 421 4.7.0 Try again later.\nNo action is required on your part; we will retry.\n"),
        ("Mail delivery notification", "Ihre Nachricht an jdoe@dest.example konnte bisher nicht zugestellt werden. Es wird weiterhin versucht, die Nachricht zuzustellen.\nSie müssen die Nachricht nicht erneut senden.\n"),
        ("Mail delivery notification", "Votre message à jdoe@dest.example n'a pas encore été remis. Nous continuerons d'essayer pendant 3 jours.\nVous n'avez pas besoin de renvoyer votre message.\n"),
        ("Mail delivery notification", "jdoe@dest.example 宛のメールはまだ配信されていません。引き続き配信を試みます。\n再送信の必要はありません。\n"),
        ("Mail delivery notification", "Delivery to the following recipient has been delayed:\n\n     jdoe@dest.example\n\nMessage will be retried for 2 more day(s)\n"),
        // Spanish, Dutch, Russian and Chinese, with a neutral subject.
        ("Mail delivery notification", "Su mensaje para jdoe@dest.example todavía no se ha podido entregar.\nEl servidor seguirá intentándolo.\n"),
        ("Mail delivery notification", "Uw bericht aan jdoe@dest.example kon nog niet worden bezorgd.\nDe server blijft het proberen.\n"),
        ("Mail delivery notification", "Ваше сообщение для jdoe@dest.example пока не доставлено.\nСервер продолжит попытки доставки.\n"),
        ("Mail delivery notification", "您发往 jdoe@dest.example 的邮件尚未投递成功。\n服务器将继续尝试投递。\n"),
        // Italian and Portuguese (nineteenth round).
        ("Mail delivery notification", "La consegna del messaggio a jdoe@dest.example è stata ritardata.\nIl server continuerà a provare.\n"),
        ("Mail delivery notification", "A entrega da sua mensagem para jdoe@dest.example foi atrasada.\nContinuaremos tentando.\n"),
    ];
    let mut wrong = Vec::new();
    for (subject, body) in cases {
        let msg = format!(
            "From: Mail Delivery System <MAILER-DAEMON@mx.sender.example>\nTo: app@sender.example\n\
Subject: {subject}\nDate: Tue, 01 Dec 2026 09:00:00 +0000\nMessage-ID: <d-1@mx.sender.example>\n\
MIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\n{body}"
        );
        let r = parse(msg.as_bytes());
        if r.kind != Kind::Delayed || !r.recipients.is_empty() {
            wrong.push(format!(
                "{:?} {:?}: {subject}: {body:?}",
                r.kind, r.recipients
            ));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// Challenges, filter notices and list moderation notices in free wording:
/// their own kinds, naming no failed recipient.
#[test]
fn free_form_notices_are_their_own_kinds() {
    let cases: &[(&str, &str, &str, Kind)] = &[
        ("From: Verification <verify@dest.example>", "Please confirm your message", "Hello,\n\nYou sent a message to jdoe@dest.example. To protect against spam, jdoe uses a sender verification service.\nPlease click the link below to verify that you are a human sender:\n\nhttps://verify.dest.example/c/abc123\n\nOnce verified, your message will be delivered.\n", Kind::ChallengeResponse),
        ("From: jdoe@dest.example", "Action required: verify your email", "Your message to jdoe@dest.example is being held until you confirm you are not a robot.\nReply to this message or visit https://verify.dest.example to confirm.\n", Kind::ChallengeResponse),
        ("From: Email Security <postmaster@dest.example>", "Message quarantined", "A message you sent to jdoe@dest.example was quarantined by our email security gateway because it contained a suspicious attachment (invoice.exe).\nThe recipient has been notified.\n", Kind::ContentFilter),
        ("From: Antivirus <postmaster@dest.example>", "Virus found in message", "Our antivirus scanner found the Eicar-Test-Signature virus in a message from you to jdoe@dest.example.\nThe message was not delivered.\n", Kind::ContentFilter),
        ("From: list-owner@lists.example", "Your message to list@lists.example awaits moderator approval", "Your mail to 'List' with the subject\n\n    November news\n\nIs being held until the list moderator can review it for approval.\nThe reason it is being held: Post by non-member to a members-only list\n", Kind::ListOwner),
        ("From: Group Moderators <discuss+owner@groups.example>", "Message held for moderation", "Your post to the group discuss@groups.example has been held for moderation. A moderator will review it shortly.\n", Kind::ListOwner),
        // Quarantine and moderation notices in German, French and Spanish.
        ("From: Email Security <postmaster@dest.example>", "Nachricht in Quarantäne", "Eine Nachricht von Ihnen an jdoe@dest.example wurde von unserem Sicherheitsgateway in Quarantäne verschoben.\n", Kind::ContentFilter),
        ("From: Email Security <postmaster@dest.example>", "Message mis en quarantaine", "Un message que vous avez envoyé à jdoe@dest.example a été mis en quarantaine par notre passerelle de sécurité.\n", Kind::ContentFilter),
        ("From: Email Security <postmaster@dest.example>", "Mensaje en cuarentena", "Un mensaje que envió a jdoe@dest.example ha sido puesto en cuarentena por nuestra pasarela de seguridad.\n", Kind::ContentFilter),
        ("From: liste-owner@lists.example", "Ihre Nachricht", "Ihre Nachricht an die Liste liste@lists.example wartet auf die Freigabe durch den Moderator.\n", Kind::ListOwner),
        ("From: liste-owner@lists.example", "Votre message", "Votre message à la liste liste@lists.example est en attente de modération.\n", Kind::ListOwner),
        ("From: lista-owner@lists.example", "Su mensaje", "Su mensaje a la lista lista@lists.example está pendiente de moderación.\n", Kind::ListOwner),
        // Challenges in German, French, Spanish and Japanese.
        ("From: jdoe@dest.example", "Bitte bestätigen", "Ich verwende einen Spamschutz. Damit Ihre Nachricht an jdoe@dest.example zugestellt wird, bestätigen Sie bitte über den folgenden Link, dass Sie kein Roboter sind:\nhttps://verify.dest.example/c/abc123\n", Kind::ChallengeResponse),
        ("From: jdoe@dest.example", "Confirmez votre envoi", "J'utilise un filtre anti-spam. Pour que votre message à jdoe@dest.example soit remis, cliquez sur le lien ci-dessous pour confirmer que vous êtes un humain :\nhttps://verify.dest.example/c/abc123\n", Kind::ChallengeResponse),
        ("From: jdoe@dest.example", "Verifique su mensaje", "Uso un filtro antispam. Para que su mensaje a jdoe@dest.example sea entregado, haga clic en el enlace para confirmar que es una persona:\nhttps://verify.dest.example/c/abc123\n", Kind::ChallengeResponse),
        ("From: jdoe@dest.example", "送信確認のお願い", "迷惑メール対策のため、jdoe@dest.example 宛のメールは送信者の確認後に配信されます。以下のリンクから確認してください。\nhttps://verify.dest.example/c/abc123\n", Kind::ChallengeResponse),
    ];
    let mut wrong = Vec::new();
    for (from, subject, body, want) in cases {
        let msg = format!(
            "{from}\nTo: app@sender.example\nSubject: {subject}\n\
Date: Tue, 01 Dec 2026 09:00:00 +0000\nMessage-ID: <n-1@x.example>\nMIME-Version: 1.0\n\
Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\n{body}"
        );
        let r = parse(msg.as_bytes());
        if r.kind != *want || !r.recipients.is_empty() {
            wrong.push(format!(
                "{:?} {:?}, want {want:?}: {subject}",
                r.kind, r.recipients
            ));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}
