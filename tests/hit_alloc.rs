//! The memory-hit path allocates nothing beyond the response's header table:
//! counted with a global allocator that counts only on the test's thread,
//! while `App::try_hit` answers a chart that is in memory, or an origin's
//! answer (origin mode, the real FastAPI origin behind it) plus its `Age`.

mod common;

use chartgate::app::App;
use chartgate::cache::Alias;
use chartgate::chart::{params, Prepared};
use chartgate::config::Config;
use chartgate::render::PlottersRenderer;
use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::sync::Arc;

struct Counting;

thread_local! {
    static COUNTING: Cell<bool> = const { Cell::new(false) };
    static ALLOCS: Cell<usize> = const { Cell::new(0) };
}

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        note();
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        note();
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

fn note() {
    // `try_with`: the thread-locals may be gone while a thread exits.
    let counting = COUNTING.try_with(Cell::get).unwrap_or(false);
    if counting {
        let _ = ALLOCS.try_with(|n| n.set(n.get() + 1));
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// Allocations `f` makes on this thread.
fn allocations<T>(f: impl FnOnce() -> T) -> (usize, T) {
    ALLOCS.with(|n| n.set(0));
    COUNTING.with(|c| c.set(true));
    let out = f();
    COUNTING.with(|c| c.set(false));
    (ALLOCS.with(Cell::get), out)
}

/// A `Response`'s `HeaderMap` allocates its index table and its entry
/// vector once; nothing else on the hit path may allocate (a header map
/// that has to grow would add two more).
const HEADER_TABLE: usize = 2;

#[test]
fn a_memory_hit_allocates_only_its_header_table() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let app = rt.block_on(async { App::new(Config::default(), Arc::new(PlottersRenderer::new())) });
    let chart = r#"{"type":"bar","data":{"labels":["a","b"],"datasets":[{"data":[1,2]}]}}"#;
    for format in ["png", "svg"] {
        let mut q = form_urlencoded::Serializer::new(String::new());
        let query = q.append_pair("c", chart).append_pair("f", format).finish();
        rt.block_on(async {
            let chart = Prepared::new(params::from_query(&query, &app.config().limits).unwrap());
            let (key, format) = (chart.key, chart.req.output.format);
            app.aliases().insert(&query, Alias { key, format });
            let (outcome, _) = app.cache().fetch(Arc::new(chart)).await;
            outcome.unwrap();
        });
        let req = hyper::Request::get(format!("/chart?{query}"))
            .body(())
            .unwrap();
        // The first hits warm whatever is built once (shared header values).
        for _ in 0..3 {
            assert!(app.try_hit(&req).is_some(), "{format} is a memory hit");
        }
        // The fewest of ten hits: now and then a read also runs the memory
        // tier's periodic upkeep on the caller's thread (moka's, at most
        // every 300 ms), which is not the hit path's own work.
        let mut fewest = usize::MAX;
        for _ in 0..10 {
            let (n, resp) = allocations(|| app.try_hit(&req).unwrap());
            assert_eq!(resp.headers()["x-content-type-options"], "nosniff");
            assert_eq!(
                resp.headers().contains_key("content-security-policy"),
                format == "svg"
            );
            fewest = fewest.min(n);
        }
        assert!(
            fewest <= HEADER_TABLE,
            "a {format} memory hit made {fewest} allocations, not at most {HEADER_TABLE}"
        );
    }
}

/// An origin's answer whose target was seen before is a hit on the same
/// fast path: the header table, and the `Age` value (the one header that
/// changes every second, so it is written per answer).
#[test]
fn an_origin_hit_allocates_its_header_table_and_its_age() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let (_origin, server) = rt.block_on(async {
        let origin = common::origin::FastApi::start().await;
        let mut config = common::config();
        config.origin = vec![chartgate::config::OriginConfig {
            name: "reports".into(),
            url: origin.url(),
            ..Default::default()
        }];
        let server = common::Server::start(config, Arc::new(PlottersRenderer::new())).await;
        (origin, server)
    });
    let path = "/o/reports/chart.png?values=1,2,3";
    rt.block_on(async {
        assert_eq!(server.get(path).await.header("x-cache"), "miss");
    });
    let req = hyper::Request::get(path).body(()).unwrap();
    for _ in 0..3 {
        assert!(server.app.try_hit(&req).is_some(), "an origin memory hit");
    }
    let mut fewest = usize::MAX;
    for _ in 0..10 {
        let (n, resp) = allocations(|| server.app.try_hit(&req).unwrap());
        assert_eq!(resp.headers()["x-cache"], "hit-memory");
        fewest = fewest.min(n);
    }
    assert!(
        fewest <= HEADER_TABLE + 1,
        "an origin memory hit made {fewest} allocations, not at most {}",
        HEADER_TABLE + 1
    );
}
