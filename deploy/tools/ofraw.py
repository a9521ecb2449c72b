#!/usr/bin/env python3
"""ofraw: send hand-made OpenFlow messages to a switch socket and log the conversation (stdlib only).

Connects to a unix socket (e.g. <rundir>/br-int.mgmt), exchanges OF1.3 HELLOs, answers ECHO_REQUESTs,
then sends each message given (hex, whole message incl. header; use XID as a placeholder for a
fresh xid, e.g. "040e...") in order, waiting --wait seconds after each for replies, and logs every
message in ofrecord.py's format: <conn>\t<dir>\t<decoded header>\t<hex>.

    ofraw.py --connect /tmp/ovs-truth/w0/br-int.mgmt 0414000800000064   # barrier, xid 0x64
"""
import argparse
import os
import select
import socket
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ofrecord import decode_header  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--connect", required=True)
    ap.add_argument("--wait", type=float, default=0.5)
    ap.add_argument("--out", default="-")
    ap.add_argument("messages", nargs="*")
    a = ap.parse_args()
    out = sys.stdout if a.out == "-" else open(a.out, "a")
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.connect(a.connect)
    buf = b""

    def log(d, m):
        out.write("1\t%s\t%s\t%s\n" % (d, decode_header(m), m.hex()))
        out.flush()

    def send(m):
        log("c2s", m)
        s.sendall(m)

    def pump(timeout):
        nonlocal buf
        while True:
            r, _, _ = select.select([s], [], [], timeout)
            if not r:
                return
            data = s.recv(65536)
            if not data:
                return
            buf += data
            while len(buf) >= 8:
                ln = struct.unpack_from("!H", buf, 2)[0]
                if len(buf) < ln:
                    break
                m, buf = buf[:ln], buf[ln:]
                log("s2c", m)
                if m[1] == 2:  # echo request -> reply
                    send(bytes([m[0], 3]) + m[2:])

    send(bytes.fromhex("04000010000000010001000800000010"))  # HELLO, OF1.3 bitmap
    pump(a.wait)
    for h in a.messages:
        send(bytes.fromhex(h))
        pump(a.wait)
    s.close()


if __name__ == "__main__":
    main()
