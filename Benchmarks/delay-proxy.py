#!/usr/bin/env python3
"""A TCP proxy adding latency, for Benchmarks/remote.sh: every chunk a client sends (an HTTP
request, on a kept-alive connection one after another) reaches the server DELAY_MS later, so each
request costs one added round trip, as to a server far away. Answers flow back undelayed.

    delay-proxy.py UPSTREAM_PORT DELAY_MS     prints its own port on stdout once it listens
"""
import socket
import sys
import threading
import time

upstream, delay = int(sys.argv[1]), float(sys.argv[2]) / 1000.0


def pipe(src, dst, wait):
    try:
        while True:
            data = src.recv(1 << 20)
            if not data:
                break
            if wait:
                time.sleep(wait)
            dst.sendall(data)
    except OSError:
        pass
    for s in (src, dst):
        try:
            s.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass


def serve(client):
    server = socket.create_connection(("127.0.0.1", upstream))
    for s in (client, server):
        s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    threading.Thread(target=pipe, args=(client, server, delay), daemon=True).start()
    threading.Thread(target=pipe, args=(server, client, 0), daemon=True).start()


listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
listener.bind(("127.0.0.1", 0))
listener.listen(128)
print(listener.getsockname()[1], flush=True)
while True:
    conn, _ = listener.accept()
    serve(conn)
