//! nginx as a fast local server for benchmarks: a child process answering 204 to every
//! request, started on a free loopback port with a temporary config, stopped on drop.

use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use reqwest::Url;

/// An nginx child process answering 204 to every request, stopped on drop.
pub struct Nginx {
    child: Child,
    address: SocketAddr,
    _dir: tempfile::TempDir,
}

impl Nginx {
    /// The nginx binary on `PATH` or in Debian's `/usr/sbin`.
    fn binary() -> Option<PathBuf> {
        let path = std::env::var_os("PATH").unwrap_or_default();
        std::env::split_paths(&path)
            .chain([PathBuf::from("/usr/sbin")])
            .map(|dir| dir.join("nginx"))
            .find(|candidate| candidate.is_file())
    }

    fn start(binary: &Path) -> Self {
        let dir = tempfile::tempdir().expect("a temporary directory for nginx");
        // A port the kernel just handed out and took back: free unless raced.
        let port = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
            .and_then(|listener| listener.local_addr())
            .expect("a free loopback port")
            .port();
        let address = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
        let root = dir.path().display();
        // One process (`master_process off`) so killing the child stops nginx; errors to
        // the bench's stderr; no access log; keep-alive connections are never closed by
        // request count.
        let config = format!(
            "daemon off;
master_process off;
worker_processes 1;
pid {root}/nginx.pid;
error_log stderr warn;
events {{ worker_connections 64; }}
http {{
    access_log off;
    client_body_temp_path {root}/body;
    proxy_temp_path {root}/proxy;
    fastcgi_temp_path {root}/fastcgi;
    uwsgi_temp_path {root}/uwsgi;
    scgi_temp_path {root}/scgi;
    keepalive_requests 100000000;
    keepalive_timeout 300s;
    server {{
        listen {address};
        location / {{ return 204; }}
    }}
}}
"
        );
        let config_path = dir.path().join("nginx.conf");
        std::fs::write(&config_path, config).expect("nginx config written");
        let child = Command::new(binary)
            .arg("-p")
            .arg(dir.path())
            .args(["-e", "stderr"])
            .arg("-c")
            .arg(&config_path)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            // In the bench's process group: a Ctrl-C stops nginx too.
            .spawn()
            .expect("nginx started");
        let mut nginx = Self {
            child,
            address,
            _dir: dir,
        };
        nginx.wait_until_listening();
        nginx
    }

    fn wait_until_listening(&mut self) {
        let deadline = Instant::now() + Duration::from_secs(10);
        while TcpStream::connect(self.address).is_err() {
            if let Some(status) = self.child.try_wait().expect("nginx status") {
                panic!("nginx exited at start-up with {status}: see its error output above");
            }
            assert!(
                Instant::now() < deadline,
                "nginx did not listen on {} within 10 s",
                self.address
            );
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    pub fn url(&self) -> Url {
        Url::parse(&format!("http://{}", self.address)).unwrap()
    }
}

impl Drop for Nginx {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// nginx, or `None` (after saying so) where it is not installed. Under `CI=true` a
/// missing nginx is a failure: CI installs it (`.ci/run`).
pub fn start_or_skip() -> Option<Nginx> {
    match Nginx::binary() {
        Some(binary) => Some(Nginx::start(&binary)),
        None if std::env::var("CI").is_ok_and(|value| value == "true") => {
            panic!("nginx is required under CI=true: apt-get install nginx-light")
        }
        None => {
            println!(
                "nginx not found (apt-get install nginx-light): skipping the comparison against nginx"
            );
            None
        }
    }
}
