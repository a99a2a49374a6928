//! Configuration: built-in defaults, then a TOML file, then `CHARTGATE_SECTION__KEY`
//! environment variables, then command-line flags; `validate()` last.
//!
//! Each section keeps its defaults and its checks beside its fields, so a new
//! key is one struct field, one default and one line in `config.toml`.
//! A bad value stops start-up with a message that names the key.

use serde::Deserialize;
use std::net::SocketAddr;
use std::path::Path;

#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    pub server: ServerConfig,
    pub cache: CacheConfig,
    pub render: RenderConfig,
    pub limits: Limits,
    pub redis: RedisConfig,
    pub admin: AdminConfig,
    pub log: LogConfig,
    pub analytics: AnalyticsConfig,
    pub script: ScriptConfig,
    pub fonts: FontsConfig,
    /// `[[origin]]`: existing chart services fronted at `/o/<name>/`.
    pub origin: Vec<OriginConfig>,
}

#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct ServerConfig {
    /// Address to bind.
    pub listen: String,
    /// A client that has not sent complete headers by then is cut off
    /// (slowloris); also the idle keep-alive limit before a request starts.
    pub header_timeout_ms: u64,
    /// Largest request head hyper will buffer.
    pub max_header_bytes: usize,
    /// Open connections beyond this wait in the kernel's accept queue.
    pub max_connections: usize,
    /// On SIGTERM/SIGINT, in-flight requests get this long to finish.
    pub shutdown_grace_ms: u64,
}

impl Default for ServerConfig {
    fn default() -> Self {
        ServerConfig {
            listen: "127.0.0.1:8080".into(),
            header_timeout_ms: 30_000,
            max_header_bytes: 64 * 1024,
            max_connections: 10_000,
            shutdown_grace_ms: 10_000,
        }
    }
}

impl ServerConfig {
    /// This section's checks (`Config::validate` runs them in order).
    pub(crate) fn validate(&self) -> Result<(), ConfigError> {
        if self.listen.parse::<SocketAddr>().is_err() {
            return bad("server.listen", "must be an address like 127.0.0.1:8080");
        }
        if self.header_timeout_ms == 0 {
            return bad("server.header_timeout_ms", "must be above 0");
        }
        if self.max_header_bytes < 1024 {
            return bad("server.max_header_bytes", "must be at least 1024");
        }
        if self.max_connections == 0 {
            return bad("server.max_connections", "must be above 0");
        }
        Ok(())
    }
}

#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct CacheConfig {
    /// Memory tier bound, counted in bytes of what it holds (bodies, keys and
    /// per-entry overhead). 0 turns the memory tier off, so every hit comes
    /// from Redis (a replica that must hold nothing, or a benchmark of Redis).
    pub memory_bytes: u64,
    /// How long an entry lives, in every tier; also `Cache-Control: max-age`.
    pub ttl_secs: u64,
    /// Bound of the stored specs behind `/chart/create` short URLs.
    pub stored_specs_bytes: u64,
}

impl Default for CacheConfig {
    fn default() -> Self {
        CacheConfig {
            memory_bytes: 256 * 1024 * 1024,
            ttl_secs: 86_400,
            stored_specs_bytes: 64 * 1024 * 1024,
        }
    }
}

impl CacheConfig {
    /// This section's checks (`Config::validate` runs them in order).
    pub(crate) fn validate(&self) -> Result<(), ConfigError> {
        if self.memory_bytes != 0 && self.memory_bytes < 1024 * 1024 {
            return bad(
                "cache.memory_bytes",
                "must be 0 (memory tier off) or at least 1048576 (1 MiB)",
            );
        }
        if self.ttl_secs == 0 {
            return bad("cache.ttl_secs", "must be above 0");
        }
        Ok(())
    }
}

#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct RenderConfig {
    /// Renders at once (render threads). 0 means the number of cores.
    pub workers: usize,
    /// Distinct renders waiting for a worker before requests are shed.
    pub queue: usize,
    /// Deadline of one render.
    pub timeout_ms: u64,
    /// Niceness of render threads (0..=19). Above 0 renders give way to
    /// every process on the host, not only to chartgate's request path.
    pub nice: i32,
    /// Run render threads under Linux's `SCHED_IDLE` policy (then `nice` is
    /// moot): they get a core only when nothing else wants it. Off by
    /// default: beside two busy processes a 0.5 s render got a 504 after
    /// 5 s. The README's "Renders beside hits" table measures the options.
    pub sched_idle: bool,
    /// While the request path answers requests, render threads pause
    /// between drawing calls in the first half of each render's time
    /// (`render::yielding`): hits keep the cores, and renders still get
    /// their share when other processes load the host (which `sched_idle`
    /// does not give them).
    pub yield_to_requests: bool,
    /// What one chart may cost to draw, in megapixels touched, estimated
    /// from its spec before a worker is taken (`render::budget`); over it,
    /// 422 `limit_exceeded` naming the expensive part.
    pub budget_mpx: f64,
    /// Bound of each render thread's glyph-mask cache, in bytes.
    pub glyph_cache_bytes: usize,
    /// Bound of each render thread's cache of shaped lines of text (bidi,
    /// font fallback and shaping of non-Latin labels), in bytes.
    pub layout_cache_bytes: usize,
    /// Bound of the marker stamps one render keeps (`render::stamp`), in
    /// bytes; past it markers are drawn directly.
    pub stamp_cache_bytes: usize,
    /// Largest SVG document a render of Chart.js's canvas calls writes;
    /// past it 422 `limit_exceeded`. A config's plugin can make millions of
    /// calls within the engine's heap, each tens of bytes of SVG.
    pub max_svg_bytes: usize,
    /// Which renderer draws what: `auto` routes each config (`chart::route`);
    /// `chartjs` draws every config with Chart.js itself, to
    /// measure it (the render bench) or to fall back wholesale.
    pub renderer: RendererChoice,
}

/// `render.renderer`.
#[derive(Clone, Copy, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum RendererChoice {
    #[default]
    Auto,
    Chartjs,
}

impl Default for RenderConfig {
    fn default() -> Self {
        RenderConfig {
            workers: 0,
            queue: 64,
            timeout_ms: 5_000,
            nice: 0,
            sched_idle: false,
            yield_to_requests: true,
            budget_mpx: 4000.0,
            glyph_cache_bytes: 4 << 20,
            layout_cache_bytes: 1 << 20,
            stamp_cache_bytes: 4 << 20,
            max_svg_bytes: 16 << 20,
            renderer: RendererChoice::Auto,
        }
    }
}

impl RenderConfig {
    /// This section's checks (`Config::validate` runs them in order).
    pub(crate) fn validate(&self) -> Result<(), ConfigError> {
        if self.queue == 0 {
            return bad("render.queue", "must be above 0");
        }
        if self.workers > 1024 {
            return bad("render.workers", "must be at most 1024");
        }
        if self.timeout_ms == 0 {
            return bad("render.timeout_ms", "must be above 0");
        }
        if !(0..=19).contains(&self.nice) {
            return bad("render.nice", "must be between 0 and 19");
        }
        if !(self.budget_mpx.is_finite() && self.budget_mpx > 0.0) {
            return bad("render.budget_mpx", "must be a positive number");
        }
        if self.max_svg_bytes < 64 * 1024 {
            return bad("render.max_svg_bytes", "must be at least 65536");
        }
        Ok(())
    }

    /// `workers` with 0 resolved to the number of cores.
    pub fn worker_count(&self) -> usize {
        if self.workers == 0 {
            std::thread::available_parallelism().map_or(1, |n| n.get())
        } else {
            self.workers
        }
    }
}

/// Bounds on what one request may ask for; beyond them, 413/414/422.
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct Limits {
    /// Largest output width or height, in device pixels.
    pub max_side: u32,
    /// Largest output width × height, in device pixels.
    pub max_pixels: u64,
    /// Data points over all datasets.
    pub max_points: usize,
    /// Datasets in one chart.
    pub max_datasets: usize,
    /// POST body.
    pub max_body_bytes: usize,
    /// Request target (path and query).
    pub max_url_bytes: usize,
    /// Nesting depth of the chart config (objects and arrays).
    pub max_depth: usize,
    /// Characters in one string of the config (labels, titles).
    pub max_string_chars: usize,
    /// Category labels.
    pub max_labels: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_side: 4096,
            max_pixels: 16_777_216,
            max_points: 100_000,
            max_datasets: 256,
            max_body_bytes: 1_048_576,
            max_url_bytes: 16_384,
            max_depth: 32,
            max_string_chars: 1_000,
            max_labels: 100_000,
        }
    }
}

impl Limits {
    /// `max_header_bytes` is `server.max_header_bytes`: the URL must fit
    /// in the request head.
    pub(crate) fn validate(&self, max_header_bytes: usize) -> Result<(), ConfigError> {
        if self.max_side == 0 || self.max_side > 32_768 {
            return bad("limits.max_side", "must be between 1 and 32768");
        }
        if self.max_pixels == 0 {
            return bad("limits.max_pixels", "must be above 0");
        }
        if self.max_points == 0 || self.max_datasets == 0 || self.max_labels == 0 {
            return bad(
                "limits.max_points",
                "point, dataset and label limits must be above 0",
            );
        }
        if self.max_body_bytes < 1024 {
            return bad("limits.max_body_bytes", "must be at least 1024");
        }
        if self.max_url_bytes < 256 {
            return bad("limits.max_url_bytes", "must be at least 256");
        }
        // The URL travels in the request head, and hyper refuses any URI
        // over 65,534 bytes itself.
        if self.max_url_bytes >= max_header_bytes || self.max_url_bytes > 65_534 {
            return bad(
                "limits.max_url_bytes",
                "must be below server.max_header_bytes and at most 65534",
            );
        }
        if self.max_depth < 4 || self.max_depth > 512 {
            return bad("limits.max_depth", "must be between 4 and 512");
        }
        Ok(())
    }
}

#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct RedisConfig {
    /// Unset: memory only. One URL, or several for Redis Cluster.
    pub url: Option<RedisUrl>,
    /// Deadline of one Redis operation before it counts as down.
    pub timeout_ms: Option<u64>,
    /// Shared secret of the replicas: stored pictures carry a keyed MAC
    /// derived from it, so a value written by anyone without it is refused.
    /// Unset: an unkeyed checksum, which catches corruption and values moved
    /// between keys, not forgeries.
    pub signing_key: Option<Secret>,
}

/// Shortest `redis.signing_key`, in bytes: a MAC key guessable by brute force
/// protects nothing.
pub const MIN_SIGNING_KEY_BYTES: usize = 16;

/// A configured secret. `Debug` never shows it, so a config printed in a
/// log or a panic message does not leak it.
#[derive(Clone, Deserialize, PartialEq, Eq)]
#[serde(transparent)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Secret {
        Secret(value.into())
    }

    /// The secret itself: for deriving keys, never for printing.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(<redacted>)")
    }
}

impl RedisConfig {
    /// This section's checks (`Config::validate` runs them in order).
    pub(crate) fn validate(&self) -> Result<(), ConfigError> {
        if let Some(url) = &self.url {
            let urls = match url {
                RedisUrl::One(u) => std::slice::from_ref(u),
                RedisUrl::Cluster(v) => v.as_slice(),
            };
            if urls.is_empty() || urls.iter().any(|u| !u.starts_with("redis://")) {
                return bad("redis.url", "must be redis://HOST:PORT or an array of them");
            }
        }
        if self.timeout_ms == Some(0) {
            return bad("redis.timeout_ms", "must be above 0");
        }
        if matches!(&self.signing_key, Some(k) if k.expose().len() < MIN_SIGNING_KEY_BYTES) {
            return bad("redis.signing_key", "must be at least 16 bytes");
        }
        Ok(())
    }

    pub fn timeout_ms(&self) -> u64 {
        self.timeout_ms.unwrap_or(50)
    }
}

/// `redis.url` is a string for one server or an array for a cluster.
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(untagged)]
pub enum RedisUrl {
    One(String),
    Cluster(Vec<String>),
}

#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct AdminConfig {
    /// Bearer token for admin routes; unset turns them off (404).
    pub token: Option<String>,
}

impl AdminConfig {
    /// This section's checks (`Config::validate` runs them in order).
    pub(crate) fn validate(&self) -> Result<(), ConfigError> {
        if matches!(&self.token, Some(t) if t.len() < 8) {
            return bad("admin.token", "must be at least 8 characters");
        }
        Ok(())
    }
}

#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct LogConfig {
    /// tracing filter, e.g. `info` or `chartgate=debug`; `RUST_LOG` wins.
    pub level: String,
    /// `text` or `json`.
    pub format: String,
}

impl Default for LogConfig {
    fn default() -> Self {
        LogConfig {
            level: "info".into(),
            format: "text".into(),
        }
    }
}

impl LogConfig {
    /// This section's checks (`Config::validate` runs them in order).
    pub(crate) fn validate(&self) -> Result<(), ConfigError> {
        if self.format != "text" && self.format != "json" {
            return bad("log.format", "must be text or json");
        }
        Ok(())
    }
}

/// Cache-hit analytics behind `/stats` and `/dashboard`.
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct AnalyticsConfig {
    /// Count every chart answer; off: `/stats` and `/dashboard` answer 404.
    pub enabled: bool,
    /// Count by source (the embedding page, from `Referer` without its
    /// query); off for privacy: no page address is read or kept.
    pub sources: bool,
    /// Charts tracked by the top-charts summary: counts of listed charts
    /// are over by at most lookups / top_charts.
    pub top_charts: usize,
    /// Sources tracked, with the same bound.
    pub top_sources: usize,
}

impl Default for AnalyticsConfig {
    fn default() -> Self {
        AnalyticsConfig {
            enabled: true,
            sources: true,
            top_charts: 1000,
            top_sources: 200,
        }
    }
}

impl AnalyticsConfig {
    /// This section's checks (`Config::validate` runs them in order).
    pub(crate) fn validate(&self) -> Result<(), ConfigError> {
        if !(10..=100_000).contains(&self.top_charts) {
            return bad("analytics.top_charts", "must be between 10 and 100000");
        }
        if !(10..=100_000).contains(&self.top_sources) {
            return bad("analytics.top_sources", "must be between 10 and 100000");
        }
        Ok(())
    }
}

#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct ScriptConfig {
    /// Evaluate configs that hold code (callbacks, `Math.*`, QuickChart's
    /// helpers) in the sandbox; off: code is a 400, as before scripts.
    pub enabled: bool,
    /// Heap of one evaluation or one render's callbacks: what a hostile
    /// `new Array(1e9)` runs into.
    pub memory_bytes: usize,
    /// Time of one config's evaluation; a render's callbacks count against
    /// `render.timeout_ms` instead.
    pub time_ms: u64,
    /// Native stack of the engine: what deep recursion runs into. Small
    /// enough that the thread's own stack always has room beside it.
    pub stack_bytes: usize,
    /// Bytes of JSON a config may evaluate to; bigger is 422 before any
    /// point or dataset is read.
    pub max_result_bytes: usize,
    /// Heap of one render by Chart.js itself: Chart.js and moment loaded
    /// take ~10 MiB of it before the chart's own data.
    pub chartjs_memory_bytes: usize,
}

impl Default for ScriptConfig {
    fn default() -> Self {
        ScriptConfig {
            enabled: true,
            memory_bytes: 16 * 1024 * 1024,
            time_ms: 50,
            stack_bytes: 256 * 1024,
            max_result_bytes: 8 * 1024 * 1024,
            chartjs_memory_bytes: 64 * 1024 * 1024,
        }
    }
}

impl ScriptConfig {
    /// This section's checks (`Config::validate` runs them in order).
    pub(crate) fn validate(&self) -> Result<(), ConfigError> {
        if !(1024 * 1024..=1024 * 1024 * 1024).contains(&self.memory_bytes) {
            return bad("script.memory_bytes", "must be between 1 MiB and 1 GiB");
        }
        if !(1..=10_000).contains(&self.time_ms) {
            return bad("script.time_ms", "must be between 1 and 10000");
        }
        // Render threads and tokio's blocking threads have 2 MiB stacks.
        if !(64 * 1024..=1024 * 1024).contains(&self.stack_bytes) {
            return bad("script.stack_bytes", "must be between 64 KiB and 1 MiB");
        }
        if !(1024..=256 * 1024 * 1024).contains(&self.max_result_bytes) {
            return bad(
                "script.max_result_bytes",
                "must be between 1 KiB and 256 MiB",
            );
        }
        if !(16 * 1024 * 1024..=1024 * 1024 * 1024).contains(&self.chartjs_memory_bytes) {
            return bad(
                "script.chartjs_memory_bytes",
                "must be between 16 MiB and 1 GiB",
            );
        }
        Ok(())
    }
}

/// A configuration problem, naming the key at fault.
#[derive(Debug, PartialEq, Eq)]
pub struct ConfigError(pub String);

impl std::fmt::Display for ConfigError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ConfigError {}

/// `[fonts]`: fonts loaded at start-up behind the embedded ones.
#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct FontsConfig {
    /// Directories searched (recursively) for font files. Their contents
    /// are part of every key: replicas with other fonts never share a key
    /// for a picture that would differ.
    pub dirs: Vec<std::path::PathBuf>,
}

impl FontsConfig {
    pub(crate) fn validate(&self) -> Result<(), ConfigError> {
        match self.dirs.iter().find(|d| !d.is_dir()) {
            Some(d) => bad("fonts.dirs", &format!("{} is not a directory", d.display())),
            None => Ok(()),
        }
    }
}

/// One `[[origin]]`: an existing chart service served at `/o/<name>/<path>`
/// through the same tiers as charts.
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct OriginConfig {
    /// The path segment it is served under; part of every key.
    pub name: String,
    /// `http://host:port[/base]` of the service (plain HTTP: an origin is a
    /// neighbour on the same network, as an nginx upstream usually is).
    pub url: String,
    /// Query parameter names (globs, `*` and `?`) that never change the
    /// answer: left out of the key and of the call.
    pub ignore_params: Vec<String>,
    /// Request headers that do change the answer: keyed and forwarded.
    pub key_headers: Vec<String>,
    /// Calls to the origin at once, per replica.
    pub max_concurrency: usize,
    /// Calls waiting for one of those; beyond it 503 `overloaded`.
    pub queue: usize,
    /// An origin call (queue wait included) past this is a 504, or stale.
    pub timeout_ms: u64,
    /// Freshness of an answer whose `Cache-Control` names no max-age and
    /// which has no `Expires`.
    pub ttl_secs: u64,
    /// After expiry an answer is still served while one refresh runs, and
    /// whenever the origin fails; the origin's `stale-while-revalidate` and
    /// `stale-if-error` stand for it where it gives them.
    pub stale_secs: u64,
    /// How long a 4xx answer is remembered, and how long a key whose
    /// background refresh failed starts no other (at least a second).
    pub error_ttl_secs: u64,
    /// Larger answers are relayed as they stream, never stored or buffered.
    pub max_body_bytes: usize,
    /// `GET` (and `HEAD`) always; add `POST` for JSON-body endpoints.
    pub methods: Vec<String>,
    /// Content types stored (prefix match; `image/` covers every image).
    /// Others are relayed unstored.
    pub content_types: Vec<String>,
}

impl Default for OriginConfig {
    fn default() -> Self {
        OriginConfig {
            name: String::new(),
            url: String::new(),
            ignore_params: Vec::new(),
            key_headers: Vec::new(),
            max_concurrency: 4,
            queue: 64,
            timeout_ms: 10_000,
            ttl_secs: 3600,
            stale_secs: 86_400,
            error_ttl_secs: 10,
            max_body_bytes: 8 * 1024 * 1024,
            methods: vec!["GET".into()],
            content_types: vec!["image/".into(), "application/json".into()],
        }
    }
}

impl OriginConfig {
    /// This origin's checks; `at` is its place in the list, for the message.
    pub(crate) fn validate(&self, at: usize) -> Result<(), ConfigError> {
        let key = |k: &str| format!("origin[{at}].{k}");
        let name_ok = !self.name.is_empty()
            && self.name.len() <= 64
            && self
                .name
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
        if !name_ok {
            return bad(&key("name"), "must be 1-64 letters, digits, - or _");
        }
        match self.url.split_once("://") {
            Some(("http", rest)) if !rest.is_empty() && self.url.parse::<hyper::Uri>().is_ok() => {}
            Some((scheme, _)) if scheme != "http" => {
                return bad(
                    &key("url"),
                    &format!("unknown scheme {scheme:?}: only http:// origins are supported"),
                )
            }
            _ => return bad(&key("url"), "must be a URL like http://127.0.0.1:8000"),
        }
        if self.max_concurrency == 0 {
            return bad(&key("max_concurrency"), "must be above 0");
        }
        if self.timeout_ms == 0 {
            return bad(&key("timeout_ms"), "must be above 0");
        }
        if self.max_body_bytes < 1024 {
            return bad(&key("max_body_bytes"), "must be at least 1024");
        }
        if let Some(m) = self
            .methods
            .iter()
            .find(|m| !matches!(m.as_str(), "GET" | "HEAD" | "POST"))
        {
            return bad(
                &key("methods"),
                &format!("{m:?}: must be GET, HEAD or POST"),
            );
        }
        if let Some(h) = self
            .key_headers
            .iter()
            .find(|h| hyper::header::HeaderName::from_bytes(h.as_bytes()).is_err())
        {
            return bad(&key("key_headers"), &format!("{h:?} is not a header name"));
        }
        Ok(())
    }

    /// Whether `method` is served (HEAD goes with GET).
    pub fn allows(&self, method: &str) -> bool {
        let method = if method == "HEAD" { "GET" } else { method };
        method == "GET" || self.methods.iter().any(|m| m == method)
    }
}

/// Every origin's checks, and no two with one name.
fn validate_origins(origins: &[OriginConfig]) -> Result<(), ConfigError> {
    for (at, origin) in origins.iter().enumerate() {
        origin.validate(at)?;
        if origins[..at].iter().any(|o| o.name == origin.name) {
            return bad(
                &format!("origin[{at}].name"),
                &format!("{:?} is used by an earlier origin", origin.name),
            );
        }
    }
    Ok(())
}

/// The error of a bad key: `key: why`.
fn bad(key: &str, why: &str) -> Result<(), ConfigError> {
    Err(ConfigError(format!("{key}: {why}")))
}

impl Config {
    /// Defaults, then the file (if any), then the environment. Flags are
    /// applied by the caller before `validate()`.
    pub fn load(
        path: Option<&Path>,
        env: impl IntoIterator<Item = (String, String)>,
    ) -> Result<Config, ConfigError> {
        let mut table = match path {
            Some(p) => {
                let text = std::fs::read_to_string(p)
                    .map_err(|e| ConfigError(format!("cannot read {}: {e}", p.display())))?;
                text.parse::<toml::Table>()
                    .map_err(|e| ConfigError(format!("{}: {e}", p.display())))?
            }
            None => toml::Table::new(),
        };
        apply_env(&mut table, env)?;
        let config: Config =
            toml::Value::Table(table)
                .try_into()
                .map_err(|e: toml::de::Error| {
                    ConfigError(format!("config: {}", e.to_string().trim()))
                })?;
        Ok(config)
    }

    /// Checks every key, section by section (each section's checks are
    /// beside its fields); the first bad one is named in the error.
    pub fn validate(&self) -> Result<(), ConfigError> {
        self.server.validate()?;
        self.cache.validate()?;
        self.render.validate()?;
        self.limits.validate(self.server.max_header_bytes)?;
        self.redis.validate()?;
        self.admin.validate()?;
        self.log.validate()?;
        self.analytics.validate()?;
        self.script.validate()?;
        self.fonts.validate()?;
        validate_origins(&self.origin)
    }
}

/// Overlays `CHARTGATE_SECTION__KEY=value` onto the TOML table. The value is
/// read as TOML when it parses as a TOML value (numbers, booleans, arrays),
/// else as a plain string, so `CHARTGATE_REDIS__URL=redis://…` needs no quotes.
fn apply_env(
    table: &mut toml::Table,
    env: impl IntoIterator<Item = (String, String)>,
) -> Result<(), ConfigError> {
    for (name, raw) in env {
        let Some(rest) = name.strip_prefix("CHARTGATE_") else {
            continue;
        };
        // Only CHARTGATE_<SECTION>__<KEY> is configuration; other variables
        // that share the prefix (CHARTGATE_VERSION in a deploy script…) are not ours.
        let Some((section, key)) = rest.split_once("__") else {
            continue;
        };
        let (section, key) = (section.to_ascii_lowercase(), key.to_ascii_lowercase());
        let value = format!("v = {raw}")
            .parse::<toml::Table>()
            .ok()
            .and_then(|mut t| t.remove("v"))
            .unwrap_or(toml::Value::String(raw));
        let entry = table
            .entry(section.clone())
            .or_insert_with(|| toml::Value::Table(toml::Table::new()));
        match entry {
            toml::Value::Table(t) => {
                t.insert(key, value);
            }
            _ => return Err(ConfigError(format!("{section}: must be a table"))),
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn defaults_validate() {
        let c = Config::load(None, env(&[])).unwrap();
        assert_eq!(c, Config::default());
        c.validate().unwrap();
        assert_eq!(c.server.listen, "127.0.0.1:8080");
        assert_eq!(c.cache.memory_bytes, 268_435_456);
        assert!(c.redis.url.is_none());
    }

    #[test]
    fn env_overrides_numbers_and_strings() {
        let c = Config::load(
            None,
            env(&[
                ("CHARTGATE_CACHE__TTL_SECS", "60"),
                ("CHARTGATE_REDIS__URL", "redis://127.0.0.1:7000"),
                ("HOME", "/root"),
            ]),
        )
        .unwrap();
        assert_eq!(c.cache.ttl_secs, 60);
        assert_eq!(
            c.redis.url,
            Some(RedisUrl::One("redis://127.0.0.1:7000".into()))
        );
    }

    #[test]
    fn bad_values_name_their_key() {
        let e = Config::load(None, env(&[("CHARTGATE_CACHE__TTL_SECS", "soon")])).unwrap_err();
        assert!(e.0.contains("ttl_secs"), "{e}");
        let e = Config::load(None, env(&[("CHARTGATE_CACHE__TTL", "1")])).unwrap_err();
        assert!(e.0.contains("ttl"), "{e}");
        let mut c = Config::default();
        c.render.queue = 0;
        assert!(c.validate().unwrap_err().0.starts_with("render.queue"));
        let mut c = Config::default();
        c.limits.max_url_bytes = c.server.max_header_bytes;
        assert!(c
            .validate()
            .unwrap_err()
            .0
            .starts_with("limits.max_url_bytes"));
        let mut c = Config::default();
        c.render.budget_mpx = f64::NAN;
        assert!(c.validate().unwrap_err().0.starts_with("render.budget_mpx"));
    }

    #[test]
    fn origins_are_checked_by_name() {
        let origin = |name: &str, url: &str| OriginConfig {
            name: name.into(),
            url: url.into(),
            ..OriginConfig::default()
        };
        let mut c = Config {
            origin: vec![origin("reports", "http://127.0.0.1:8000")],
            ..Config::default()
        };
        c.validate().unwrap();
        c.origin.push(origin("reports", "http://127.0.0.1:9000"));
        let e = c.validate().unwrap_err().0;
        assert!(e.starts_with("origin[1].name"), "{e}");
        c.origin = vec![origin("a", "ftp://x")];
        let e = c.validate().unwrap_err().0;
        assert!(e.starts_with("origin[0].url: unknown scheme"), "{e}");
        c.origin = vec![origin("a/b", "http://x")];
        assert!(c.validate().unwrap_err().0.starts_with("origin[0].name"));
        c.origin = vec![OriginConfig {
            max_concurrency: 0,
            ..origin("a", "http://x")
        }];
        let e = c.validate().unwrap_err().0;
        assert!(e.starts_with("origin[0].max_concurrency"), "{e}");
        let text = "[[origin]]\nname = \"r\"\nurl = \"http://127.0.0.1:8000\"\nqueue = 3\n";
        let table: toml::Table = text.parse().unwrap();
        let c: Config = toml::Value::Table(table).try_into().unwrap();
        assert_eq!((c.origin.len(), c.origin[0].queue), (1, 3));
        assert_eq!(c.origin[0].max_concurrency, 4, "defaults fill the rest");
    }

    #[test]
    fn signing_key_is_checked_and_never_printed() {
        let c = Config::load(None, env(&[("CHARTGATE_REDIS__SIGNING_KEY", "short")])).unwrap();
        let e = c.validate().unwrap_err();
        assert!(e.0.starts_with("redis.signing_key"), "{e}");
        assert!(
            !e.0.contains("short"),
            "the error names the key, not the secret: {e}"
        );
        let secret = "0123456789abcdef-shared-by-replicas";
        let c = Config::load(None, env(&[("CHARTGATE_REDIS__SIGNING_KEY", secret)])).unwrap();
        c.validate().unwrap();
        assert_eq!(
            c.redis.signing_key.as_ref().map(Secret::expose),
            Some(secret)
        );
        let printed = format!("{c:?} {c:#?}");
        assert!(!printed.contains("0123456789abcdef"), "{printed}");
        assert!(printed.contains("<redacted>"));
    }
}

#[cfg(test)]
mod file_tests {
    use super::*;

    /// `config.toml` documents every key with its default: reading it must
    /// give exactly the built-in defaults.
    #[test]
    fn documented_config_file_is_the_defaults() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("config.toml");
        let c = Config::load(Some(&path), Vec::new()).unwrap();
        assert_eq!(c, Config::default());
    }
}
