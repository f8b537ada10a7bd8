#!/usr/bin/env python3
# A console socket for tests, like runc's recvtty: listens on a unix socket, receives the
# pty master that the runtime sends (SCM_RIGHTS), writes INPUT to it and copies what the
# container prints to stdout until the pty closes. usage: recvtty.py SOCKET [INPUT]
import array, os, socket, sys

path = sys.argv[1]
data = sys.argv[2].encode() if len(sys.argv) > 2 else b''
srv = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
srv.bind(path)
srv.listen(1)
print('ready', flush=True)
conn, _ = srv.accept()
fds = array.array('i')
msg, anc, _, _ = conn.recvmsg(1024, socket.CMSG_LEN(4 * fds.itemsize))
for level, typ, payload in anc:
    if level == socket.SOL_SOCKET and typ == socket.SCM_RIGHTS:
        fds.frombytes(payload[: len(payload) - len(payload) % fds.itemsize])
if not fds:
    sys.exit('no fd received')
master = fds[0]
if data:
    os.write(master, data)
while True:
    try:
        chunk = os.read(master, 4096)
    except OSError:
        break
    if not chunk:
        break
    sys.stdout.buffer.write(chunk)
    sys.stdout.flush()
os.unlink(path)
