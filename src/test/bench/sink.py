#!/usr/bin/env python3
"""A loopback telemetry sink for the uploader benchmark (docs/performance.md), one of two kinds:
  http10     Python's http.server as it comes: HTTP/1.0, one request per connection, one at a time,
             listen backlog 5 (request_queue_size = 5)
  keepalive  HTTP/1.1 with keep-alive, a thread per connection
Prints its URL; answers 204 to every POST; on end of standard input prints one JSON line:
{"requests", "distinct", "connections", "max_open", "first", "last"} (time.monotonic() of the first and
last POST read) and exits. max_open is the most client connections open at once as the kernel sees them
(/proc/net/tcp and tcp6, sampled every millisecond: established or connecting, the ones still waiting in
the listen backlog included), which a server that accepts one at a time cannot see itself."""
import http.server
import json
import re
import sys
import threading
import time

kind = sys.argv[1]
lock = threading.Lock()
seen = {"requests": 0, "connections": 0, "open": 0, "max_open": 0, "first": 0.0, "last": 0.0}
ids = set()
EVENT_ID = re.compile(rb'"event_id":"([^"]+)"')


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1" if kind == "keepalive" else "HTTP/1.0"

    def setup(self):
        super().setup()
        with lock:
            seen["connections"] += 1

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        now = time.monotonic()
        m = EVENT_ID.search(body)
        with lock:
            if seen["requests"] == 0:
                seen["first"] = now
            seen["last"] = now
            seen["requests"] += 1
            ids.add(m.group(1) if m else b"")
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args):
        pass


if kind == "http10":
    class Server(http.server.HTTPServer):
        request_queue_size = 5
else:
    class Server(http.server.ThreadingHTTPServer):
        daemon_threads = True
        request_queue_size = 50

server = Server(("127.0.0.1", 0), Handler)
threading.Thread(target=server.serve_forever, daemon=True).start()


def sample_client_sockets():
    remote = ":%04X" % server.server_address[1]
    while True:
        count = 0
        for table in ("/proc/net/tcp", "/proc/net/tcp6"):
            try:
                with open(table) as f:
                    for line in f.readlines()[1:]:
                        fields = line.split()
                        if fields[2].endswith(remote) and fields[3] in ("01", "02"):
                            count += 1
            except OSError:
                return
        with lock:
            seen["max_open"] = max(seen["max_open"], count)
        time.sleep(0.001)


threading.Thread(target=sample_client_sockets, daemon=True).start()
print("http://127.0.0.1:%d/api/v1/telemetry/roar" % server.server_address[1], flush=True)
sys.stdin.read()
with lock:
    out = dict(seen, distinct=len(ids))
print(json.dumps(out), flush=True)
