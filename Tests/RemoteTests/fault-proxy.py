#!/usr/bin/env python3
"""A misbehaving HTTP server for qcowscope's remote tests (Tests/RemoteTests/FaultTests.swift).

Serves the files of ROOT by byte ranges, badly on purpose, so the tests see what a broken server
does to qcowscope: clear errors, no hang beyond --timeout, nothing half-printed as complete.

    fault-proxy.py ROOT MODE [FROM]     prints its port on stdout once it listens

MODE: close-mid     sends half a 206 body, then closes the connection
      ignore-range  answers 200 with the whole file to a range request
      short         answers 206 with the Content-Range asked for but half the body (and a
                    Content-Length saying so)
      stall         reads the request and never answers
      one-range     no fault but the one every mode has: a request for several ranges is
                    answered with the first alone (a plain 206), as servers without multipart
                    range support do
FROM: requests for ranges starting before byte FROM are answered properly (the header and the
      tables read when the image is opened), so the fault comes mid-scan.
"""
import os
import re
import socket
import sys
import threading
import time

root, mode = sys.argv[1], sys.argv[2]
start = int(sys.argv[3], 0) if len(sys.argv) > 3 else 0


def answer(conn):
    data = b""
    while True:
        while b"\r\n\r\n" not in data:
            chunk = conn.recv(65536)
            if not chunk:
                return
            data += chunk
        head, data = data.split(b"\r\n\r\n", 1)
        lines = head.decode("latin-1").split("\r\n")
        method, path = lines[0].split(" ")[0:2]
        headers = {l.split(":", 1)[0].strip().lower(): l.split(":", 1)[1].strip() for l in lines[1:] if ":" in l}
        name = os.path.join(root, os.path.basename(path.split("?")[0]))
        try:
            with open(name, "rb") as f:
                body = f.read()
        except OSError:
            conn.sendall(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n")
            continue
        m = re.match(r"bytes=(\d+)-(\d+)", headers.get("range", ""))
        first, last = (int(m.group(1)), min(int(m.group(2)), len(body) - 1)) if m else (0, len(body) - 1)
        faulty = first >= start
        part = body[first:last + 1]
        status = "206 Partial Content"
        extra = "Content-Range: bytes %d-%d/%d\r\nAccept-Ranges: bytes\r\n" % (first, last, len(body))
        length = len(part)
        if faulty and mode == "stall":
            time.sleep(3600)
            return
        if faulty and mode == "ignore-range":
            status, extra, part, length = "200 OK", "", body, len(body)
        if faulty and mode == "short":
            part = part[: len(part) // 2]
            length = len(part)
        if faulty and mode == "close-mid":
            part = part[: len(part) // 2]
        conn.sendall(("HTTP/1.1 %s\r\nContent-Length: %d\r\n%s\r\n" % (status, length, extra)).encode())
        if method != "HEAD":
            try:
                conn.sendall(part)
            except OSError:
                return
        if faulty and mode in ("close-mid", "ignore-range"):
            conn.close()
            return


def main():
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind(("127.0.0.1", 0))
    server.listen(64)
    print(server.getsockname()[1], flush=True)
    while True:
        conn, _ = server.accept()
        threading.Thread(target=lambda c=conn: (answer(c), c.close()), daemon=True).start()


main()
