#!/usr/bin/env python3
"""connect.py IP PORT [TIMEOUT]: one TCP connection; prints what the server says, or why it failed (exit 1)."""
import socket, sys

ip, port = sys.argv[1], int(sys.argv[2])
timeout = float(sys.argv[3]) if len(sys.argv) > 3 else 3
try:
    s = socket.create_connection((ip, port), timeout=timeout)
    print(f"connected to {ip}:{port}, server says: {s.recv(200).decode().strip()}")
    s.close()
except socket.timeout:
    print(f"no connection to {ip}:{port}: timed out after {timeout:g} s (packets dropped)")
    sys.exit(1)
except OSError as e:
    print(f"no connection to {ip}:{port}: {e.strerror or e}")
    sys.exit(1)
