#!/usr/bin/env python3
"""A pod's "containers": one server per container port, run inside the pod's network namespace.

  podserver.py NAME PORT/PROTO[,PORT/PROTO...]

TCP: accepts, writes "NAME PORT/TCP\n" and echoes what it receives. UDP: answers every datagram with
"NAME PORT/UDP\n". SCTP: listens when the kernel has SCTP, otherwise says so on stderr and goes on.
"""
import asyncio, socket, sys


async def main(name, specs):
    servers = []
    for spec in specs:
        port, proto = spec.split("/")
        port, proto = int(port), proto.upper()
        hello = f"{name} {port}/{proto}\n".encode()
        if proto == "TCP":
            async def handle(r, w, hello=hello):
                try:
                    w.write(hello)
                    await w.drain()
                    while data := await asyncio.wait_for(r.read(4096), 30):
                        w.write(data)
                        await w.drain()
                except Exception:
                    pass
                finally:
                    w.close()
            servers.append(await asyncio.start_server(handle, "0.0.0.0", port, reuse_address=True))
        elif proto == "UDP":
            class Echo(asyncio.DatagramProtocol):
                def connection_made(self, t, hello=hello):
                    self.t, self.hello = t, hello

                def datagram_received(self, data, addr):
                    self.t.sendto(self.hello, addr)
            await asyncio.get_running_loop().create_datagram_endpoint(Echo, local_addr=("0.0.0.0", port))
        elif proto == "SCTP":
            try:
                s = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_SCTP)
            except OSError as e:
                print(f"{name}: SCTP port {port} not served: this kernel has no SCTP ({e})", file=sys.stderr)
                continue
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            s.bind(("0.0.0.0", port))
            s.listen(64)
            s.setblocking(False)

            async def accept_loop(s=s, hello=hello):
                loop = asyncio.get_running_loop()
                while True:
                    c, _ = await loop.sock_accept(s)
                    try:
                        await loop.sock_sendall(c, hello)
                    finally:
                        c.close()
            asyncio.ensure_future(accept_loop())
    print(f"{name}: serving {' '.join(specs)}", flush=True)
    await asyncio.Event().wait()


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], [s for s in sys.argv[2].split(",") if s and s != "-"]))
