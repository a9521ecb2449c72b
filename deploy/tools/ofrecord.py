#!/usr/bin/env python3
"""ofrecord: a man-in-the-middle recorder for OpenFlow over unix sockets (stdlib only).

Listens on a unix socket, and for every client that connects (e.g. ovs-ofctl) opens a connection
to the real switch socket (e.g. <rundir>/br-int.mgmt), forwards bytes both ways unchanged, and
logs every OpenFlow message, split by the 16-bit length at offset 2, one message per line:

    <conn>\t<dir>\t<decoded header>\t<hex of the whole message>

dir is "c2s" (client -> switch) or "s2c" (switch -> client); hex is lowercase, no spaces.
Lines starting with '#' are comments (connection open/close).

Usage:
    ofrecord.py --listen /tmp/ovs-truth/rec.sock --upstream /tmp/ovs-truth/w1/br-int.mgmt \
                --out /tmp/ovs-truth/rec.log
    ovs-ofctl -O OpenFlow13 add-flow unix:/tmp/ovs-truth/rec.sock 'table=0,actions=drop'

Runs until killed (SIGTERM/SIGINT); removes its listening socket on exit.
"""
import argparse
import os
import signal
import socket
import struct
import sys
import threading

OF10_TYPES = ["HELLO", "ERROR", "ECHO_REQUEST", "ECHO_REPLY", "VENDOR", "FEATURES_REQUEST",
              "FEATURES_REPLY", "GET_CONFIG_REQUEST", "GET_CONFIG_REPLY", "SET_CONFIG",
              "PACKET_IN", "FLOW_REMOVED", "PORT_STATUS", "PACKET_OUT", "FLOW_MOD", "PORT_MOD",
              "STATS_REQUEST", "STATS_REPLY", "BARRIER_REQUEST", "BARRIER_REPLY",
              "QUEUE_GET_CONFIG_REQUEST", "QUEUE_GET_CONFIG_REPLY"]
OF13_TYPES = ["HELLO", "ERROR", "ECHO_REQUEST", "ECHO_REPLY", "EXPERIMENTER", "FEATURES_REQUEST",
              "FEATURES_REPLY", "GET_CONFIG_REQUEST", "GET_CONFIG_REPLY", "SET_CONFIG",
              "PACKET_IN", "FLOW_REMOVED", "PORT_STATUS", "PACKET_OUT", "FLOW_MOD", "GROUP_MOD",
              "PORT_MOD", "TABLE_MOD", "MULTIPART_REQUEST", "MULTIPART_REPLY", "BARRIER_REQUEST",
              "BARRIER_REPLY", "QUEUE_GET_CONFIG_REQUEST", "QUEUE_GET_CONFIG_REPLY",
              "ROLE_REQUEST", "ROLE_REPLY", "GET_ASYNC_REQUEST", "GET_ASYNC_REPLY", "SET_ASYNC",
              "METER_MOD"]
MP_TYPES = {0: "DESC", 1: "FLOW", 2: "AGGREGATE", 3: "TABLE", 4: "PORT_STATS", 5: "QUEUE",
            6: "GROUP", 7: "GROUP_DESC", 8: "GROUP_FEATURES", 9: "METER", 10: "METER_CONFIG",
            11: "METER_FEATURES", 12: "TABLE_FEATURES", 13: "PORT_DESC", 0xffff: "EXPERIMENTER"}
EXPERIMENTERS = {0x00002320: "NX", 0x4F4E4600: "ONF"}
ONF_TYPES = {2300: "BUNDLE_CONTROL", 2301: "BUNDLE_ADD_MESSAGE"}
NX_TYPES = {10: "NXT_ROLE_REQUEST", 11: "NXT_ROLE_REPLY", 12: "NXT_SET_FLOW_FORMAT", 13: "NXT_FLOW_MOD",
            14: "NXT_FLOW_REMOVED", 15: "NXT_FLOW_MOD_TABLE_ID", 16: "NXT_SET_PACKET_IN_FORMAT",
            17: "NXT_PACKET_IN", 18: "NXT_FLOW_AGE", 19: "NXT_SET_ASYNC_CONFIG", 20: "NXT_SET_CONTROLLER_ID",
            24: "NXT_TLV_TABLE_MOD", 25: "NXT_TLV_TABLE_REQUEST", 26: "NXT_TLV_TABLE_REPLY",
            28: "NXT_RESUME", 29: "NXT_CT_FLUSH_ZONE", 30: "NXT_PACKET_IN2"}
BUNDLE_CTRL = {0: "OPEN_REQUEST", 1: "OPEN_REPLY", 2: "CLOSE_REQUEST", 3: "CLOSE_REPLY",
               4: "COMMIT_REQUEST", 5: "COMMIT_REPLY", 6: "DISCARD_REQUEST", 7: "DISCARD_REPLY"}


def decode_header(msg):
    """Human-readable summary of an OpenFlow message header (plus sub-type where useful)."""
    version, mtype, length, xid = struct.unpack_from("!BBHI", msg, 0)
    names = OF10_TYPES if version == 1 else OF13_TYPES
    name = names[mtype] if mtype < len(names) else "TYPE%d" % mtype
    parts = ["v=0x%02x" % version, "type=%s(%d)" % (name, mtype), "len=%d" % length,
             "xid=0x%08x" % xid]
    try:
        if version >= 4 and mtype in (18, 19) and len(msg) >= 12:
            mp, flags = struct.unpack_from("!HH", msg, 8)
            parts.append("mp=%s(%d) flags=0x%x" % (MP_TYPES.get(mp, "?"), mp, flags))
        elif version == 1 and mtype in (16, 17) and len(msg) >= 12:
            st, flags = struct.unpack_from("!HH", msg, 8)
            parts.append("stats=%d flags=0x%x" % (st, flags))
        elif mtype == 4 and len(msg) >= 16:  # EXPERIMENTER (1.3) / VENDOR (1.0)
            exp, sub = struct.unpack_from("!II", msg, 8)
            ename = EXPERIMENTERS.get(exp, "0x%08x" % exp)
            if exp == 0x4F4E4600:
                parts.append("exp=%s(0x%08x) exp_type=%s(%d)" % (ename, exp, ONF_TYPES.get(sub, "?"), sub))
                if sub == 2300 and len(msg) >= 24:
                    bid, ctype, bflags = struct.unpack_from("!IHH", msg, 16)
                    parts.append("bundle_id=%d ctrl=%s(%d) flags=0x%x" % (bid, BUNDLE_CTRL.get(ctype, "?"), ctype, bflags))
                elif sub == 2301 and len(msg) >= 32:
                    bid, _pad, bflags = struct.unpack_from("!IHH", msg, 16)
                    iv, it, il, ix = struct.unpack_from("!BBHI", msg, 24)
                    iname = OF13_TYPES[it] if it < len(OF13_TYPES) else "TYPE%d" % it
                    parts.append("bundle_id=%d flags=0x%x inner=%s(%d) inner_xid=0x%08x" % (bid, bflags, iname, it, ix))
            else:
                parts.append("exp=%s(0x%08x) subtype=%s(%d)" % (ename, exp, NX_TYPES.get(sub, "?"), sub))
        elif mtype == 1 and len(msg) >= 12:  # ERROR
            et, ec = struct.unpack_from("!HH", msg, 8)
            if et == 0xffff and len(msg) >= 16:
                exp, = struct.unpack_from("!I", msg, 12)
                parts.append("err=EXPERIMENTER(0xffff) exp_code=%d exp=0x%08x" % (ec, exp))
            else:
                parts.append("err_type=%d err_code=%d" % (et, ec))
        elif mtype == 12 and len(msg) >= 9:  # PORT_STATUS
            parts.append("reason=%d" % msg[8])
        elif mtype == 10 and version >= 4 and len(msg) >= 24:  # PACKET_IN
            bid, tl, reason, tid, cookie = struct.unpack_from("!IHBBQ", msg, 8)
            parts.append("buffer_id=0x%x total_len=%d reason=%d table_id=%d cookie=0x%x" % (bid, tl, reason, tid, cookie))
    except (struct.error, IndexError):
        parts.append("(short)")
    return " ".join(parts)


class Recorder:
    def __init__(self, out):
        self.out = out
        self.lock = threading.Lock()
        self.conn_seq = 0

    def write(self, line):
        with self.lock:
            self.out.write(line + "\n")
            self.out.flush()

    def pump(self, conn_id, direction, src, dst):
        buf = b""
        try:
            while True:
                data = src.recv(65536)
                if not data:
                    break
                buf += data
                while len(buf) >= 8:
                    length = struct.unpack_from("!H", buf, 2)[0]
                    if length < 8:
                        self.write("# conn %d %s: bad length %d, raw %s" % (conn_id, direction, length, buf.hex()))
                        buf = b""
                        break
                    if len(buf) < length:
                        break
                    msg, buf = buf[:length], buf[length:]
                    self.write("%d\t%s\t%s\t%s" % (conn_id, direction, decode_header(msg), msg.hex()))
                # log first, then forward: a reply is never logged before its request
                dst.sendall(data)
        except OSError as e:
            self.write("# conn %d %s: %s" % (conn_id, direction, e))
        finally:
            if buf:
                self.write("# conn %d %s: %d trailing bytes %s" % (conn_id, direction, len(buf), buf.hex()))
            for s in (src, dst):
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

    def handle(self, client, upstream_path):
        with self.lock:
            self.conn_seq += 1
            conn_id = self.conn_seq
        up = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            up.connect(upstream_path)
        except OSError as e:
            self.write("# conn %d: cannot connect upstream %s: %s" % (conn_id, upstream_path, e))
            client.close()
            return
        self.write("# conn %d opened" % conn_id)
        t1 = threading.Thread(target=self.pump, args=(conn_id, "c2s", client, up), daemon=True)
        t2 = threading.Thread(target=self.pump, args=(conn_id, "s2c", up, client), daemon=True)
        t1.start(); t2.start(); t1.join(); t2.join()
        client.close(); up.close()
        self.write("# conn %d closed" % conn_id)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--listen", required=True, help="unix socket path to listen on")
    ap.add_argument("--upstream", required=True, help="unix socket of the switch (br-int.mgmt)")
    ap.add_argument("--out", default="-", help="log file (appended), '-' = stdout")
    args = ap.parse_args()

    out = sys.stdout if args.out == "-" else open(args.out, "a", buffering=1)
    rec = Recorder(out)
    if os.path.exists(args.listen):
        os.unlink(args.listen)
    srv = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    srv.bind(args.listen)
    srv.listen(16)

    def stop(*_):
        try:
            os.unlink(args.listen)
        except OSError:
            pass
        os._exit(0)
    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    rec.write("# ofrecord listening on %s -> %s" % (args.listen, args.upstream))
    while True:
        client, _ = srv.accept()
        threading.Thread(target=rec.handle, args=(client, args.upstream), daemon=True).start()


if __name__ == "__main__":
    main()
