T=/tmp/ovs-truth
REC=$T/rec.sock
rec_start() { # node logfile
  rm -f "$2"; python3 "$(dirname "${BASH_SOURCE[0]}")/../ofrecord.py" --listen $REC --upstream $T/$1/br-int.mgmt --out "$2" & echo $! > $T/ofrecord.pid
  for _n in 1 2 3 4 5 6 7 8 9 10; do [ -S $REC ] && break; sleep 0.1; done
}
rec_stop() { sleep 0.2; kill $(cat $T/ofrecord.pid); wait $(cat $T/ofrecord.pid) 2>/dev/null; rm -f $T/ofrecord.pid; }
