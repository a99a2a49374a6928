//! The real `chartgate` binary as a child process on a free port: what an
//! operator runs, and what replicas behind a load balancer are.
#![allow(dead_code)]

use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::process::{Child, Command, Stdio};

pub struct Gateway {
    child: Child,
    pub addr: SocketAddr,
}

impl Gateway {
    /// Starts the binary on 127.0.0.1:0 with extra environment and waits for
    /// the line that names its address. A render's deadline is a hang guard
    /// (10 minutes) unless `env` sets one, as in `super::config()`.
    pub fn start(env: &[(&str, &str)]) -> Gateway {
        Gateway::start_with(&[], env)
    }

    /// `start` with more command-line arguments (`--config PATH`).
    pub fn start_with(args: &[&str], env: &[(&str, &str)]) -> Gateway {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_chartgate"));
        cmd.args(args);
        cmd.env("CHARTGATE_RENDER__TIMEOUT_MS", "600000");
        cmd.args(["--listen", "127.0.0.1:0"])
            .stdout(Stdio::piped())
            // TEST_GATEWAY_LOGS=1 shows the replicas' logs when debugging.
            .stderr(match std::env::var_os("TEST_GATEWAY_LOGS") {
                Some(_) => Stdio::inherit(),
                None => Stdio::null(),
            });
        for (k, v) in env {
            cmd.env(k, v);
        }
        let mut child = cmd.spawn().expect("start chartgate");
        let mut line = String::new();
        BufReader::new(child.stdout.as_mut().unwrap())
            .read_line(&mut line)
            .unwrap();
        let addr = line
            .trim()
            .rsplit("http://")
            .next()
            .and_then(|a| a.parse().ok())
            .unwrap_or_else(|| panic!("no address in {line:?}"));
        Gateway { child, addr }
    }

    /// The process id, for limits set from outside (`prlimit`).
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Resident memory, in KiB (`VmRSS` of `/proc/PID/status`).
    pub fn rss_kib(&self) -> u64 {
        self.status_kib("VmRSS:")
    }

    /// The most resident memory the process ever had, in KiB (`VmHWM`).
    pub fn peak_rss_kib(&self) -> u64 {
        self.status_kib("VmHWM:")
    }

    fn status_kib(&self, field: &str) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id()))
            .expect("/proc/PID/status");
        status
            .lines()
            .find_map(|l| l.strip_prefix(field))
            .and_then(|v| v.split_whitespace().next()?.parse().ok())
            .unwrap_or_else(|| panic!("{field} in /proc/PID/status"))
    }

    pub fn sigterm(&self) {
        self.signal(libc::SIGTERM);
    }

    /// SIGSTOP: the process freezes where it is (a stalled or dying host).
    pub fn stop(&self) {
        self.signal(libc::SIGSTOP);
    }

    /// SIGKILL: a replica that dies without a word, mid-render.
    pub fn kill(&mut self) {
        self.signal(libc::SIGKILL);
        let _ = self.child.wait();
    }

    fn signal(&self, sig: i32) {
        unsafe {
            libc::kill(self.child.id() as i32, sig);
        }
    }

    /// Waits for the process to exit (up to the hang guard) and returns how.
    pub async fn exited(&mut self) -> std::process::ExitStatus {
        let child = &mut self.child;
        super::poll::until("the gateway process to exit", || {
            std::future::ready(child.try_wait().expect("try_wait"))
        })
        .await
    }
}

impl Drop for Gateway {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
