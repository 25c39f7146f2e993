use super::*;

#[test]
fn embedded_default_is_sandbox_on_loopback() {
    let c = Config::default();
    assert!(c.sandbox);
    assert_eq!(c.data_dir, PathBuf::from("./data"));
    assert_eq!(c.relay.listen.to_string(), "127.0.0.1:2525");
    assert_eq!(c.rpc.listen.to_string(), "127.0.0.1:8525");
    assert_eq!(c.relay.max_recipients, 1000);
    assert!(c.relay.effective_plain_auth());
    assert!(c.validate().is_ok());
}

#[test]
fn sample_file_matches_defaults() {
    let text = include_str!("../../hikyaku.sample.toml");
    let parsed = Config::from_toml(text).unwrap();
    assert_eq!(parsed, Config::default());
}

#[test]
fn unknown_key_is_named() {
    let err = Config::from_toml("[relay]\nmax_conections = 3\n").unwrap_err();
    assert!(err.contains("max_conections"), "{err}");
}

#[test]
fn wrong_type_is_named() {
    let err = Config::from_toml("[relay]\nmax_connections = \"many\"\n").unwrap_err();
    assert!(err.contains("max_connections"), "{err}");
}

#[test]
fn bad_values_are_all_reported_with_keys() {
    let c = Config::from_toml(
        "[relay]\nmax_connections = 0\nmax_recipients = 0\nallowed_ips = [\"10.0.0.0/33\"]\n",
    )
    .unwrap();
    let err = c.validate().unwrap_err().to_string();
    assert!(err.contains("relay.max_connections"), "{err}");
    assert!(err.contains("relay.max_recipients"), "{err}");
    assert!(err.contains("relay.allowed_ips"), "{err}");
}

#[test]
fn plain_auth_follows_listen_address_unless_set() {
    let c = Config::from_toml("[relay]\nlisten = \"0.0.0.0:587\"\n").unwrap();
    assert!(!c.relay.effective_plain_auth());
    let c = Config::from_toml("[relay]\nlisten = \"0.0.0.0:587\"\nplain_auth_allowed = true\n")
        .unwrap();
    assert!(c.relay.effective_plain_auth());
}
