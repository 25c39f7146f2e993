//! One blocking SMTP client session of the load generator.

use std::io::Write;
use std::net::TcpStream;
use std::time::Instant;

use anyhow::{bail, Context, Result};

use super::{Config, Shared, ThreadStats};
use crate::message::MessageTemplate;
use crate::reply::{Reply, ReplyReader};

/// A connected, greeted session.
pub(crate) struct Session {
    io: ReplyReader<TcpStream>,
    /// Commands are assembled here and sent with one write.
    out: Vec<u8>,
    /// The server offered PIPELINING and the run wants it.
    pub pipelining: bool,
}

impl Session {
    /// Connects, reads the greeting and says EHLO.
    pub fn open(cfg: &Config) -> Result<Session> {
        let stream = TcpStream::connect_timeout(&cfg.target, cfg.timeout)
            .with_context(|| format!("connecting to {}", cfg.target))?;
        stream.set_nodelay(true)?;
        stream.set_read_timeout(Some(cfg.timeout))?;
        stream.set_write_timeout(Some(cfg.timeout))?;
        let mut io = ReplyReader::new(stream);
        let greeting = io.read_reply().context("reading the greeting")?;
        if greeting.code != 220 {
            bail!("greeting: {}", greeting.summary());
        }
        let mut s = Session {
            io,
            out: Vec::with_capacity(4096),
            pipelining: false,
        };
        let ehlo = s.command(format!("EHLO {}\r\n", cfg.ehlo).as_bytes())?;
        if !ehlo.is_positive() {
            bail!("EHLO: {}", ehlo.summary());
        }
        s.pipelining = cfg.pipelining && ehlo.has_extension("PIPELINING");
        Ok(s)
    }

    fn command(&mut self, line: &[u8]) -> Result<Reply> {
        self.io.get_mut().write_all(line)?;
        Ok(self.io.read_reply()?)
    }

    fn read(&mut self) -> Result<Reply> {
        Ok(self.io.read_reply()?)
    }

    /// Sends message `seq`; non-2xx replies are counted, I/O failures returned.
    pub fn transaction(
        &mut self,
        shared: &Shared,
        tpl: &mut MessageTemplate,
        seq: u64,
        st: &mut ThreadStats,
    ) -> Result<()> {
        let cfg = &shared.cfg;
        self.out.clear();
        self.out.extend_from_slice(b"MAIL FROM:<");
        self.out.extend_from_slice(cfg.from.as_bytes());
        self.out.extend_from_slice(b">\r\n");
        if !self.pipelining {
            let line = std::mem::take(&mut self.out);
            let mail = self.command(&line);
            self.out = line;
            let mail = mail?;
            if !mail.is_positive() {
                return self.reject(shared, st, "MAIL", &mail);
            }
        }
        let mut ok_rcpts = 0u64;
        for n in 0..cfg.rcpts {
            let line = format!("RCPT TO:<{}>\r\n", cfg.rcpt(seq, n));
            if self.pipelining {
                self.out.extend_from_slice(line.as_bytes());
            } else {
                let r = self.command(line.as_bytes())?;
                self.count_rcpt(shared, st, &r, &mut ok_rcpts);
            }
        }
        let data = if self.pipelining {
            self.out.extend_from_slice(b"DATA\r\n");
            self.io.get_mut().write_all(&self.out)?;
            let mail = self.read()?;
            for _ in 0..cfg.rcpts {
                let r = self.read()?;
                self.count_rcpt(shared, st, &r, &mut ok_rcpts);
            }
            let data = self.read()?;
            if !mail.is_positive() {
                if data.code == 354 {
                    self.abort_data()?;
                }
                return self.reject(shared, st, "MAIL", &mail);
            }
            data
        } else {
            if ok_rcpts == 0 {
                st.rejected += 1;
                return self.rset();
            }
            self.command(b"DATA\r\n")?
        };
        if data.code != 354 {
            return self.reject(shared, st, "DATA", &data);
        }
        if ok_rcpts == 0 {
            // The server took DATA without a recipient: end the data without a message.
            self.abort_data()?;
            st.rejected += 1;
            return self.rset();
        }
        let bytes = tpl.patch(seq);
        self.io.get_mut().write_all(bytes)?;
        let sent = Instant::now();
        let done = self.read()?;
        let us = sent.elapsed().as_micros().max(1);
        st.hist
            .saturating_record(u64::try_from(us).unwrap_or(u64::MAX));
        if done.is_positive() {
            st.accepted += 1;
            st.rcpts_accepted += ok_rcpts;
            if shared.keep_ids {
                st.ids.push(seq);
            }
            Ok(())
        } else {
            st.rejected += 1;
            shared.sample(format!("end of DATA: {}", done.summary()));
            Ok(())
        }
    }

    fn count_rcpt(&self, shared: &Shared, st: &mut ThreadStats, r: &Reply, ok: &mut u64) {
        if r.is_positive() {
            *ok += 1;
        } else {
            st.rcpts_rejected += 1;
            shared.sample(format!("RCPT: {}", r.summary()));
        }
    }

    /// Counts a rejected message and resets the transaction.
    fn reject(
        &mut self,
        shared: &Shared,
        st: &mut ThreadStats,
        what: &str,
        r: &Reply,
    ) -> Result<()> {
        st.rejected += 1;
        shared.sample(format!("{what}: {}", r.summary()));
        self.rset()
    }

    fn rset(&mut self) -> Result<()> {
        let r = self.command(b"RSET\r\n")?;
        if !r.is_positive() {
            bail!("RSET: {}", r.summary());
        }
        Ok(())
    }

    /// Ends a DATA phase the server opened although the transaction is void.
    fn abort_data(&mut self) -> Result<()> {
        let _ = self.command(b".\r\n")?;
        Ok(())
    }

    /// Says QUIT and waits (bounded by the socket timeout) for the answer.
    pub fn quit(mut self) {
        let _ = self.command(b"QUIT\r\n");
    }
}
