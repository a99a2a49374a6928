//! The `chartgate` binary: flags, logging, configuration, bind, run.

use chartgate::app::App;
use chartgate::config::Config;
use chartgate::render::PlottersRenderer;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

const USAGE: &str = "usage: chartgate [--config PATH] [--listen ADDR]

  --config PATH   TOML configuration (see config.toml); built-in defaults without it
  --listen ADDR   address to bind, overrides server.listen (default 127.0.0.1:8080)

Every key can also be set as CHARTGATE_<SECTION>__<KEY>, e.g. CHARTGATE_CACHE__TTL_SECS=600.";

struct Flags {
    config: Option<PathBuf>,
    listen: Option<String>,
}

fn parse_flags() -> Result<Flags, String> {
    let mut flags = Flags {
        config: None,
        listen: None,
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let (name, inline) = match arg.split_once('=') {
            Some((n, v)) => (n.to_owned(), Some(v.to_owned())),
            None => (arg.clone(), None),
        };
        let mut value = || {
            inline
                .clone()
                .or_else(|| args.next())
                .ok_or(format!("{name} needs a value"))
        };
        match name.as_str() {
            "--config" | "-c" => flags.config = Some(PathBuf::from(value()?)),
            "--listen" | "-l" => flags.listen = Some(value()?),
            "--help" | "-h" => {
                println!("{USAGE}");
                std::process::exit(0);
            }
            "--version" | "-V" => {
                println!("chartgate {}", env!("CARGO_PKG_VERSION"));
                std::process::exit(0);
            }
            other => return Err(format!("unknown argument {other}")),
        }
    }
    Ok(flags)
}

fn load_config(flags: &Flags) -> Result<Config, String> {
    let mut config =
        Config::load(flags.config.as_deref(), std::env::vars()).map_err(|e| e.to_string())?;
    if let Some(listen) = &flags.listen {
        config.server.listen = listen.clone();
    }
    config.validate().map_err(|e| e.to_string())?;
    Ok(config)
}

/// Loads `fonts.dirs` behind the embedded faces and makes them part of
/// every key; before the first render and the first key.
fn load_fonts(config: &Config) -> Result<(), String> {
    let set = chartgate::render::fonts::load(&config.fonts.dirs).map_err(|e| e.to_string())?;
    if let Some(fingerprint) = set.fingerprint() {
        chartgate::chart::key::set_font_fingerprint(fingerprint)?;
    }
    tracing::info!(
        faces = set.faces().count(),
        dirs = config.fonts.dirs.len(),
        "fonts loaded"
    );
    Ok(())
}

fn init_logging(config: &Config) {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(&config.log.level));
    let ansi = std::io::IsTerminal::is_terminal(&std::io::stderr());
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(ansi)
        .with_writer(std::io::stderr);
    if config.log.format == "json" {
        builder.json().init();
    } else {
        builder.init();
    }
}

fn main() -> ExitCode {
    // Charts are drawn in UTC whatever the host's zone (the engine's dates
    // read it for strings without an offset): set before any thread starts.
    std::env::set_var("TZ", "UTC");
    let config = match parse_flags().and_then(|f| load_config(&f)) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("chartgate: {e}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    init_logging(&config);
    if let Err(e) = load_fonts(&config) {
        eprintln!("chartgate: {e}");
        return ExitCode::from(2);
    }
    chartgate::chart::route::draw_everything_with_chartjs(
        config.render.renderer == chartgate::config::RendererChoice::Chartjs,
    );
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("tokio runtime");
    runtime.block_on(serve(config))
}

async fn serve(config: Config) -> ExitCode {
    let listener = match tokio::net::TcpListener::bind(&config.server.listen).await {
        Ok(l) => l,
        Err(e) => {
            eprintln!(
                "chartgate: server.listen: cannot bind {}: {e}",
                config.server.listen
            );
            return ExitCode::from(1);
        }
    };
    let addr = listener
        .local_addr()
        .map(|a| a.to_string())
        .unwrap_or_default();
    tracing::info!(
        addr,
        memory_bytes = config.cache.memory_bytes,
        workers = config.render.worker_count(),
        redis = config.redis.url.is_some(),
        // Whether stored pictures are signed; never the key itself.
        redis_signed = config.redis.signing_key.is_some(),
        "chartgate listening"
    );
    // Tests and scripts that bind port 0 read the address from this line.
    println!("chartgate listening on http://{addr}");
    let app = App::new(config, Arc::new(PlottersRenderer::new()));
    chartgate::server::run(listener, app, chartgate::server::shutdown_signal()).await;
    tracing::info!("chartgate stopped");
    ExitCode::SUCCESS
}
