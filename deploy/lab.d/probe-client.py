#!/usr/bin/env python3
"""Runs inside one pod's network namespace: tries every target at once, prints one JSON line per target.

  probe-client.py PROTO PORT TIMEOUT IP[=LABEL]...

connected = TCP handshake completed / UDP answer received / SCTP association established.
"""
import asyncio, json, socket, sys


async def try_one(proto, ip, port, timeout):
    loop = asyncio.get_running_loop()
    try:
        if proto == "TCP":
            r, w = await asyncio.wait_for(asyncio.open_connection(ip, port), timeout)
            w.close()
            return True, "connected"
        if proto == "UDP":
            fut = loop.create_future()

            class P(asyncio.DatagramProtocol):
                def datagram_received(self, data, addr):
                    if not fut.done():
                        fut.set_result(data)

                def error_received(self, exc):
                    if not fut.done():
                        fut.set_exception(exc)
            t, _ = await loop.create_datagram_endpoint(P, remote_addr=(ip, port))
            try:
                # resend a few times: the first datagram to a new tunnel endpoint may be lost
                for i in range(3):
                    t.sendto(b"probe\n")
                    try:
                        await asyncio.wait_for(asyncio.shield(fut), timeout / 3)
                        return True, "answered"
                    except asyncio.TimeoutError:
                        continue
                return False, "timeout"
            finally:
                t.close()
        if proto == "SCTP":
            s = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_SCTP)
            s.setblocking(False)
            try:
                await asyncio.wait_for(loop.sock_connect(s, (ip, port)), timeout)
                return True, "connected"
            finally:
                s.close()
    except asyncio.TimeoutError:
        return False, "timeout"
    except ConnectionRefusedError:
        return False, "refused"
    except OSError as e:
        return False, e.strerror or str(e)
    return False, "unknown protocol"


async def main():
    proto, port, timeout = sys.argv[1].upper(), int(sys.argv[2]), float(sys.argv[3])
    targets = sys.argv[4:]
    if proto == "SCTP":
        try:
            socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_SCTP).close()
        except OSError as e:
            print(json.dumps({"error": f"SCTP is not supported by this kernel ({e.strerror})"}))
            return
    res = await asyncio.gather(*(try_one(proto, t.split("=")[0], port, timeout) for t in targets))
    for t, (ok, why) in zip(targets, res):
        print(json.dumps({"to": t.split("=", 1)[-1], "ip": t.split("=")[0], "connected": ok, "detail": why}))


asyncio.run(main())
