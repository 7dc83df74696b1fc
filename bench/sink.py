#!/usr/bin/env python3
"""A loopback telemetry sink for the uploader benchmark (docs/performance.md), one of two kinds:
  http10     Python's http.server as it comes: HTTP/1.0, one request per connection, one at a time,
             listen backlog 5 (request_queue_size = 5)
  keepalive  HTTP/1.1 with keep-alive, a thread per connection
Prints its URL; answers 204 to every POST; on end of standard input prints one JSON line:
{"requests", "distinct", "connections", "max_open", "first", "last"} (time.monotonic() of the first and
last POST read) and exits. max_open is the most connections the server held at once: those it accepted
and has not closed (on http10: not yet answered, since the answer ends an HTTP/1.0 connection and the
server's own close of it may come after the client's next connect on a loaded machine), plus those the
kernel completed and keeps in its listen queue (which a server that
accepts one at a time cannot see itself), read every millisecond with getsockopt(TCP_INFO) on the listening
socket, which for a listener reports the queue's length. It used to sample /proc/net/tcp instead; reading
that table costs the kernel milliseconds, so sampling it every millisecond took most of one of this
machine's two cores from the uploader and the sink, and the figures with it."""
import http.server
import json
import re
import socket
import struct
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
        note_open()

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
        if kind != "http10":
            self.send_response(204)
            self.end_headers()
            return
        # answered: HTTP/1.0 ends the connection with this answer, and the client is free to open the next one;
        # the server's own closing of it (finish()) may come later on a loaded machine. Written and uncounted
        # under the lock, so the sampler never sees the client's next connection beside this one
        with lock:
            self.send_response(204)
            self.end_headers()
            self.wfile.flush()
            seen["open"] -= 1
            self.counted = False

    def finish(self):
        try:
            super().finish()
        finally:
            with lock:
                if getattr(self, "counted", True):
                    seen["open"] -= 1

    def log_message(self, *args):
        pass


class Counting:
    def get_request(self):
        # taken from the listen queue and counted as open in one step, under the lock the sampler holds while it
        # reads both, so no connection is ever counted twice (queued and accepted) or not at all
        with lock:
            accepted = super().get_request()
            seen["connections"] += 1
            seen["open"] += 1
        return accepted


if kind == "http10":
    class Server(Counting, http.server.HTTPServer):
        request_queue_size = 5
else:
    class Server(Counting, http.server.ThreadingHTTPServer):
        daemon_threads = True
        request_queue_size = 50

server = Server(("127.0.0.1", 0), Handler)
threading.Thread(target=server.serve_forever, daemon=True).start()


def listen_queue():
    # struct tcp_info: eight one-byte fields, then u32 rto, ato, snd_mss, rcv_mss, unacked; for a listening
    # socket Linux reports the accept queue's current length in tcpi_unacked
    info = server.socket.getsockopt(socket.IPPROTO_TCP, socket.TCP_INFO, 32)
    return struct.unpack_from("I", info, 24)[0]


def note_open():
    with lock:
        seen["max_open"] = max(seen["max_open"], seen["open"] + listen_queue())


def sample_open_connections():
    while True:
        note_open()
        time.sleep(0.001)


threading.Thread(target=sample_open_connections, daemon=True).start()
print("http://127.0.0.1:%d/api/v1/telemetry/roar" % server.server_address[1], flush=True)
sys.stdin.read()
with lock:
    out = dict(seen, distinct=len(ids))
print(json.dumps(out), flush=True)
