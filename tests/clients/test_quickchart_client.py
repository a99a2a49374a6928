"""The real quickchart-io Python client against chartgate: only the host changes."""
import json
import struct

import requests
from quickchart import QuickChart

CONFIG = {
    "type": "bar",
    "data": {
        "labels": ["Q1", "Q2", "Q3", "Q4"],
        "datasets": [{"label": "Revenue", "data": [50, 60, 70, 180]}],
    },
    "options": {"title": {"display": True, "text": "quickchart-io client"}},
}


def client(host):
    qc = QuickChart()
    qc.scheme = "http"
    qc.host = host
    qc.width = 500
    qc.height = 300
    qc.device_pixel_ratio = 2.0
    qc.config = CONFIG
    return qc


def png_size(data):
    assert data[:8] == b"\x89PNG\r\n\x1a\n", data[:32]
    return struct.unpack(">II", data[16:24])


def test_get_url_serves_a_png(gateway):
    qc = client(gateway)
    url = qc.get_url()
    assert url.startswith(f"http://{gateway}/chart?")
    first = requests.get(url, timeout=30)
    assert first.status_code == 200
    assert first.headers["content-type"] == "image/png"
    assert png_size(first.content) == (1000, 600)
    second = requests.get(url, timeout=30)
    assert second.headers["x-cache"] == "hit-memory"
    assert second.content == first.content


def test_post_get_bytes_matches_get(gateway):
    qc = client(gateway)
    posted = qc.get_bytes()
    got = requests.get(qc.get_url(), timeout=30).content
    assert posted == got, "GET and POST of the same chart share one picture"


def test_short_url(gateway):
    qc = client(gateway)
    short = qc.get_short_url()
    assert short.startswith(f"http://{gateway}/chart/render/")
    resp = requests.get(short, timeout=30)
    assert resp.status_code == 200
    assert resp.headers["cache-control"] == "public, max-age=31536000, immutable"
    key = short.rsplit("/", 1)[1]
    assert resp.headers["etag"] == f'"{key}"'
    assert resp.content == qc.get_bytes()


def test_svg_format(gateway):
    qc = client(gateway)
    qc.format = "svg"
    body = qc.get_bytes()
    assert body.lstrip().startswith(b"<svg") or b"<svg" in body[:200]
    assert b"quickchart-io client" in body


def test_javascript_configs_render(gateway):
    # QuickChart's documented way to send code from Python: the config as a
    # string (docs: "JavaScript functions").
    qc = client(gateway)
    qc.config = """{
      type: 'bar',
      data: {labels: ['Q1', 'Q2', 'Q3', 'Q4'], datasets: [{label: 'Users', data: [50, 60, 70, 180]}]},
      options: {scales: {yAxes: [{ticks: {callback: (value) => '$' + value}}]}}
    }"""
    png = qc.get_bytes()
    assert png_size(png) == (1000, 600)
    qc.format = "svg"
    assert b"$100" in qc.get_bytes()


def test_errors_reach_the_client(gateway):
    qc = client(gateway)
    qc.config = "{type: 'bar', data: {datasets: [{data: [nothing]}]}}"
    try:
        qc.get_bytes()
    except RuntimeError as e:
        assert "400" in str(e)
        assert "nothing is not defined" in str(e)
    else:
        raise AssertionError("a config whose script fails must be refused")
    resp = requests.get(qc.get_url(), timeout=30)
    assert resp.status_code == 400
    assert json.loads(resp.text)["error"] == "bad_request"
