"""The service chartgate's origin mode is for: a FastAPI app that draws a
chart with matplotlib on every request, as PandasAI-backed and hand-written
dashboards do. It closes its figures (the usual leak), counts its renders,
and can be slowed down, so chartgate's tests and benchmark can see what
reaches it.

Run: uvicorn app:app --port 8000   (from this directory)

Routes:
  GET  /chart.png?kind=bar|line&values=1,2,3&title=…&max_age=N
       a PNG; Cache-Control: public, max-age=N when max_age is given;
       &cache_control=… sends that Cache-Control instead, &expires_in=S an
       Expires S seconds from now (negative: in the past)
  POST /chart.png   {"kind": "bar", "values": [1, 2, 3], "title": "…"}
  GET  /private.png?values=…   the same picture, Cache-Control: no-store
  GET  /missing     404 JSON
  GET  /boom        500 JSON
  GET  /big?mb=N    N MiB of zeros, streamed (application/octet-stream)
  GET  /stall     a no-store answer that sends its first bytes, then waits
                  until released (/admin/hold first) before the rest
  GET  /headers   the request's headers as JSON (what reached the service)
  GET  /stats       {"renders", "calls", "in_flight", "max_in_flight", "open_figures", "rss_kib"}
  POST /admin/delay?seconds=S   every chart call sleeps S seconds first
  POST /admin/hold, /admin/release   chart calls wait until released (tests)
  POST /admin/fail?on=true|false   chart calls answer 500 while on
  POST /admin/reset   counters back to 0
"""

import io
import threading
import time
from email.utils import formatdate

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from fastapi import Body, FastAPI, HTTPException, Query, Request  # noqa: E402
from fastapi.responses import JSONResponse, Response, StreamingResponse  # noqa: E402

app = FastAPI(title="matplotlib chart service")

_lock = threading.Lock()
_state = {"renders": 0, "calls": 0, "in_flight": 0, "max_in_flight": 0, "delay": 0.0, "fail": False}
# pyplot keeps global state: one figure at a time, as a real app using
# plt would have to do.
_pyplot = threading.Lock()
# Set: calls go on. Cleared by /admin/hold: chart calls wait (tests hold
# calls in flight for as long as they need, whatever the machine's speed).
_released = threading.Event()
_released.set()


def _enter():
    with _lock:
        _state["calls"] += 1
        _state["in_flight"] += 1
        _state["max_in_flight"] = max(_state["max_in_flight"], _state["in_flight"])
        return _state["delay"]


def _leave():
    with _lock:
        _state["in_flight"] -= 1


def _draw(kind: str, values: list[float], title: str) -> bytes:
    with _pyplot:
        fig, ax = plt.subplots(figsize=(5, 3), dpi=100)
        try:
            xs = list(range(len(values)))
            if kind == "line":
                ax.plot(xs, values)
            else:
                ax.bar(xs, values)
            ax.set_title(title)
            buf = io.BytesIO()
            fig.savefig(buf, format="png")
        finally:
            plt.close(fig)
    with _lock:
        _state["renders"] += 1
    return buf.getvalue()


def _values(raw: str) -> list[float]:
    try:
        return [float(v) for v in raw.split(",") if v.strip()]
    except ValueError:
        raise HTTPException(status_code=400, detail="values must be numbers")


def _chart(kind: str, values: list[float], title: str, headers: dict) -> Response:
    delay = _enter()
    if _state["fail"]:
        _leave()
        return JSONResponse({"detail": "the renderer is failing"}, status_code=500)
    try:
        if delay:
            time.sleep(delay)
        _released.wait()
        png = _draw(kind, values, title)
    finally:
        _leave()
    return Response(content=png, media_type="image/png", headers=headers)


@app.get("/chart.png")
def chart(
    kind: str = "bar",
    values: str = "3,1,4,1,5",
    title: str = "",
    max_age: int | None = Query(default=None),
    cache_control: str | None = Query(default=None),
    expires_in: int | None = Query(default=None),
):
    headers = {"Cache-Control": f"public, max-age={max_age}"} if max_age is not None else {}
    if cache_control is not None:
        headers["Cache-Control"] = cache_control
    if expires_in is not None:
        headers["Expires"] = formatdate(time.time() + expires_in, usegmt=True)
    return _chart(kind, _values(values), title, headers)


@app.post("/chart.png")
def chart_post(spec: dict = Body(...)):
    values = spec.get("values", [])
    if not isinstance(values, list) or not all(isinstance(v, (int, float)) for v in values):
        raise HTTPException(status_code=400, detail="values must be a list of numbers")
    return _chart(spec.get("kind", "bar"), values, str(spec.get("title", "")), {})


@app.get("/private.png")
def private(values: str = "1,2,3"):
    return _chart("bar", _values(values), "private", {"Cache-Control": "no-store"})


@app.get("/missing")
def missing():
    _enter()
    _leave()
    return JSONResponse({"detail": "no such chart"}, status_code=404)


@app.get("/boom")
def boom():
    _enter()
    _leave()
    return JSONResponse({"detail": "the renderer crashed"}, status_code=500)


@app.get("/big")
def big(mb: int = 1):
    _enter()
    chunk = b"\0" * (1 << 20)

    def body():
        try:
            for _ in range(mb):
                yield chunk
        finally:
            _leave()

    return StreamingResponse(
        body(),
        media_type="application/octet-stream",
        headers={"Content-Length": str(mb << 20)},
    )


@app.get("/stall")
def stall():
    _enter()

    def body():
        try:
            yield b"first part;"
            _released.wait()
            yield b"the rest"
        finally:
            _leave()

    return StreamingResponse(body(), media_type="text/plain", headers={"Cache-Control": "no-store"})


@app.get("/headers")
def headers(request: Request):
    return dict(request.headers)


@app.get("/stats")
def stats():
    with _lock:
        out = {k: v for k, v in _state.items() if k not in ("delay", "fail")}
    out["open_figures"] = len(plt.get_fignums())
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                out["rss_kib"] = int(line.split()[1])
    return out


@app.post("/admin/delay")
def set_delay(seconds: float = 0.0):
    with _lock:
        _state["delay"] = seconds
    return {"delay": seconds}


@app.post("/admin/hold")
def hold():
    _released.clear()
    return {"held": True}


@app.post("/admin/release")
def release():
    _released.set()
    return {"held": False}


@app.post("/admin/fail")
def fail(on: bool = True):
    with _lock:
        _state["fail"] = on
    return {"fail": on}


@app.post("/admin/reset")
def reset():
    with _lock:
        for k in ("renders", "calls", "max_in_flight"):
            _state[k] = 0
    return {"ok": True}
