//! Source-address allow-lists (relay access, later the RPC connection-IP list).

use std::net::IpAddr;

use ipnet::IpNet;

/// A parsed list of addresses and CIDR ranges; an IPv4-mapped IPv6 peer matches IPv4 entries.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AllowList {
    nets: Vec<IpNet>,
}

/// An entry that is neither an address nor a CIDR range.
#[derive(Debug, thiserror::Error)]
#[error("entry {index} ({text:?}) is not an IP address or CIDR range")]
pub struct AllowListError {
    /// Position in the list, from 0.
    pub index: usize,
    /// The entry as written.
    pub text: String,
}

impl AllowList {
    /// Parses entries like `127.0.0.1`, `10.0.0.0/8` or `::1/128`.
    pub fn parse<S: AsRef<str>>(entries: &[S]) -> Result<Self, AllowListError> {
        let mut nets = Vec::with_capacity(entries.len());
        for (index, entry) in entries.iter().enumerate() {
            let text = entry.as_ref().trim();
            let net = match text.parse::<IpNet>() {
                Ok(net) => net,
                Err(_) => match text.parse::<IpAddr>() {
                    Ok(ip) => IpNet::from(ip),
                    Err(_) => {
                        return Err(AllowListError {
                            index,
                            text: text.to_string(),
                        })
                    }
                },
            };
            nets.push(net);
        }
        Ok(Self { nets })
    }

    /// Whether `ip` falls in any entry.
    pub fn contains(&self, ip: IpAddr) -> bool {
        let ip = match ip {
            IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(IpAddr::V6(v6), IpAddr::V4),
            v4 => v4,
        };
        self.nets.iter().any(|net| net.contains(&ip))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_addresses_and_ranges() {
        let list = AllowList::parse(&["127.0.0.0/8", "::1", "192.0.2.7"]).unwrap();
        assert!(list.contains("127.1.2.3".parse().unwrap()));
        assert!(list.contains("::1".parse().unwrap()));
        assert!(list.contains("192.0.2.7".parse().unwrap()));
        assert!(list.contains("::ffff:127.0.0.1".parse().unwrap()));
        assert!(!list.contains("192.0.2.8".parse().unwrap()));
        assert!(!list.contains("10.0.0.1".parse().unwrap()));
    }

    #[test]
    fn bad_entry_is_named() {
        let err = AllowList::parse(&["10.0.0.0/8", "nope"]).unwrap_err();
        assert_eq!(err.index, 1);
        assert!(err.to_string().contains("nope"));
    }
}
