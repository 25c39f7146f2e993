use super::*;
use crate::config::policy::{ForwardConfig, HoldConfig, PriorityName, RuleConfig};

fn rule(header: &str, pattern: &str) -> RuleConfig {
    RuleConfig {
        header: header.into(),
        pattern: pattern.into(),
        ..RuleConfig::default()
    }
}

fn policy(rules: Vec<RuleConfig>) -> Policy {
    Policy::compile(&PolicyConfig {
        strip_received: false,
        rules,
    })
    .unwrap()
}

const MESSAGE: &[u8] = b"From: \"Shop\" <news@shop.example>\r\n\
Subject: =?UTF-8?B?44K744O844Or?= weekly\r\n\
X-Campaign: spring-2026\r\n\
X-Priority: 1\r\n\
\r\n\
body\r\n";

#[test]
fn the_view_reads_only_named_headers_decoded() {
    let p = policy(vec![
        RuleConfig {
            priority: Some(PriorityName::Low),
            ..rule("Subject", ".*weekly")
        },
        RuleConfig {
            priority: Some(PriorityName::High),
            ..rule("from", r".*news@shop\.example.*")
        },
        RuleConfig {
            unsubscribe: true,
            ..rule("X-Campaign", "spring-.*")
        },
    ]);
    let v = p.view(MESSAGE);
    assert_eq!(v.get("subject"), Some("セール weekly"));
    assert_eq!(v.get("from"), Some("\"Shop\" <news@shop.example>"));
    assert_eq!(v.get("x-campaign"), Some("spring-2026"));
    assert_eq!(v.get("x-priority"), None, "not named by any rule");
}

#[test]
fn the_first_matching_rule_decides_each_action() {
    let p = policy(vec![
        RuleConfig {
            priority: Some(PriorityName::High),
            ..rule("To", r"vip@.*")
        },
        RuleConfig {
            priority: Some(PriorityName::Low),
            unsubscribe: true,
            ..rule("Subject", ".*weekly")
        },
        RuleConfig {
            hold: Some(HoldConfig {
                from: "21:00".into(),
                to: "08:00".into(),
                time_zone: "Asia/Tokyo".into(),
            }),
            ..rule("X-Campaign", ".+")
        },
    ]);
    let v = p.view(MESSAGE);
    let vip = p.plan(&v, "VIP@example.com");
    assert_eq!(vip.priority, 0);
    assert!(vip.unsubscribe);
    assert_eq!(
        vip.hold.as_ref().map(HoldWindow::describe).as_deref(),
        Some("21:00-08:00 Asia/Tokyo")
    );
    let other = p.plan(&v, "someone@example.com");
    assert_eq!(other.priority, 2);
    // Without headers that match, nothing applies.
    let plain = p.plan(&p.view(b"Subject: hello\r\n\r\nx"), "someone@example.com");
    assert_eq!(
        plain,
        Plan {
            priority: 1,
            hold: None,
            recipient: "someone@example.com".into(),
            copies: vec![],
            unsubscribe: false,
        }
    );
}

#[test]
fn forwarding_copies_accumulate_and_the_first_rewrite_wins() {
    let fwd = |to: &str, mode| ForwardConfig {
        to: to.into(),
        mode,
    };
    let p = policy(vec![
        RuleConfig {
            forward: Some(fwd("archive@example.net", ForwardMode::Copy)),
            ..rule("To", r".+@example\.com")
        },
        RuleConfig {
            forward: Some(fwd("Archive@Example.net", ForwardMode::Copy)),
            ..rule("Subject", ".*")
        },
        RuleConfig {
            forward: Some(fwd("desk@example.org", ForwardMode::Rewrite)),
            ..rule("To", r"support@.*")
        },
        RuleConfig {
            forward: Some(fwd("other@example.org", ForwardMode::Rewrite)),
            ..rule("To", r".*")
        },
    ]);
    let v = p.view(MESSAGE);
    let plan = p.plan(&v, "support@example.com");
    assert_eq!(plan.recipient, "desk@example.org");
    assert_eq!(plan.copies, vec!["archive@example.net".to_string()]);
    // A copy to the address the recipient is rewritten to is not a second delivery.
    let p2 = policy(vec![
        RuleConfig {
            forward: Some(fwd("desk@example.org", ForwardMode::Rewrite)),
            ..rule("To", ".*")
        },
        RuleConfig {
            forward: Some(fwd("desk@example.org", ForwardMode::Copy)),
            ..rule("To", ".*")
        },
    ]);
    assert!(p2.plan(&v, "a@example.com").copies.is_empty());
}

#[test]
fn every_problem_is_reported_with_its_key() {
    let bad = PolicyConfig {
        strip_received: true,
        rules: vec![
            RuleConfig {
                priority: Some(PriorityName::High),
                ..rule("Subject", "abc(")
            },
            RuleConfig {
                priority: Some(PriorityName::High),
                ..rule("Received", ".*")
            },
            RuleConfig {
                hold: Some(HoldConfig {
                    from: "21:00".into(),
                    to: "8".into(),
                    time_zone: "UTC".into(),
                }),
                forward: Some(ForwardConfig {
                    to: "not an address".into(),
                    mode: ForwardMode::Copy,
                }),
                ..rule("To", ".*")
            },
            rule("To", ".*"),
        ],
    };
    let problems = Policy::compile(&bad).unwrap_err();
    assert_eq!(problems.len(), 5, "{problems:#?}");
    assert!(
        problems[0].starts_with("policy.rules[0].match: invalid regex at position"),
        "{}",
        problems[0]
    );
    assert!(problems[1].starts_with("policy.rules[1].header: Received can occur several times"));
    assert!(problems[2].starts_with("policy.rules[2].hold:"));
    assert!(problems[3].starts_with("policy.rules[2].forward.to:"));
    assert!(problems[4].starts_with("policy.rules[3]: a rule needs"));
}
