//! `hikyaku users totp-enroll`, `totp-confirm` and `totp-reissue`: two-factor authentication.
//!
//! The key is shown as its `otpauth://` URI, its base32 secret and a QR code drawn with
//! Unicode half blocks, so an authenticator app can scan it off the terminal. The code is drawn
//! as `qrencode -t UTF8` does: light modules (and the quiet zone) as blocks in the terminal's
//! text colour, dark modules as the background, which scans on the usual light-on-dark
//! terminal; phone scanners also read the inverse, for dark-on-light terminals.

use hikyaku_rpc::methods;
use hikyaku_rpc::types::users::{TotpCode, TotpEnrollment, UserName};
use hikyaku_rpc::types::{Done, NoParams};
use qrcode::render::unicode::Dense1x2;
use qrcode::QrCode;

use crate::commands::Ctx;
use crate::output::{self, Fields};

/// The URI as a terminal QR code; `None` when it does not fit in a QR code (it always does:
/// the URI is about 120 bytes).
fn qr(uri: &str) -> Option<String> {
    let code = QrCode::new(uri.as_bytes()).ok()?;
    Some(
        code.render::<Dense1x2>()
            .dark_color(Dense1x2::Light)
            .light_color(Dense1x2::Dark)
            .quiet_zone(true)
            .build(),
    )
}

fn render(e: &TotpEnrollment, next: &str) -> String {
    output::note("hikyaku: note: the key is shown only once; anyone who has it can make codes");
    let mut out = Fields::new()
        .add("account", &e.account)
        .add("uri", &e.uri)
        .add("secret", &e.secret)
        .render();
    if let Some(code) = qr(&e.uri) {
        out.push('\n');
        out.push_str(&code);
        out.push('\n');
    }
    out.push('\n');
    out.push_str(next);
    out.push('\n');
    out
}

/// `hikyaku users totp-enroll`.
pub async fn enroll(ctx: &Ctx) -> anyhow::Result<()> {
    ctx.show(methods::USERS_TOTP_ENROLL, &NoParams {}, |e| {
        render(
            e,
            "Scan the code (or type the secret) into an authenticator app, then turn \
             two-factor authentication on with: hikyaku users totp-confirm CODE",
        )
    })
    .await
}

/// `hikyaku users totp-confirm CODE`.
pub async fn confirm(ctx: &Ctx, code: String) -> anyhow::Result<()> {
    ctx.show(
        methods::USERS_TOTP_CONFIRM,
        &TotpCode { code },
        |_: &Done| {
            "two-factor authentication is on: log in with --totp CODE from now on\n".to_string()
        },
    )
    .await
}

/// `hikyaku users totp-reissue NAME`.
pub async fn reissue(ctx: &Ctx, name: String) -> anyhow::Result<()> {
    ctx.show(methods::USERS_TOTP_REISSUE, &UserName { name }, |e| {
        render(
            e,
            &format!(
                "Two-factor authentication is off for {} until the new key is confirmed \
                 (hikyaku users totp-confirm CODE, logged in as that account); its sessions \
                 have ended.",
                e.account
            ),
        )
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_qr_code_is_square_half_blocks_with_a_quiet_zone() {
        let uri = "otpauth://totp/hikyaku%20mx.example:alice?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&issuer=hikyaku%20mx.example";
        let text = qr(uri).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        let width = lines[0].chars().count();
        // Modules plus 4 on each side; two rows per line.
        assert!(width >= 21 + 8, "{width}");
        assert_eq!(lines.len(), width.div_ceil(2));
        assert!(lines.iter().all(|l| l.chars().count() == width));
        // The quiet zone is light: full blocks in this inverted drawing.
        assert!(lines[0].chars().all(|c| c == '\u{2588}'), "{}", lines[0]);
        assert!(text.contains(' '));
    }
}
