//! Fuzzes `parse_address`: it must never panic, and whatever it accepts must round-trip.
#![no_main]

use hikyaku_smtp::parse_address;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&flag, rest)) = data.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    let smtputf8 = flag & 1 == 1;
    if let Ok(address) = parse_address(text, smtputf8) {
        let wire = address.to_string();
        assert_eq!(
            parse_address(&wire, smtputf8).as_ref(),
            Ok(&address),
            "{wire}"
        );
        assert!(smtputf8 || !address.is_utf8());
        assert!(!wire.contains(['\r', '\n']));
    }
});
