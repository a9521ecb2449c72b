#!/bin/sh
# Start/stop private Open vSwitch "nodes" (dummy datapath, no kernel devices, no systemd) used to
# capture ground truth for Sluice's flow printer/parser and wire codec.
#   deploy/tools/ovs-truth.sh start w1 worker1    # /tmp/ovs-truth/w1, bridge br-int with worker1's ports
#   deploy/tools/ovs-truth.sh start w2 worker2
#   deploy/tools/ovs-truth.sh stop  w1
# Then: OVS_RUNDIR=/tmp/ovs-truth/w1 ovs-ofctl -O OpenFlow13 dump-flows br-int
set -eu
ROOT=${OVS_TRUTH_ROOT:-/tmp/ovs-truth}
cmd=$1; name=$2; D=$ROOT/$name
export OVS_RUNDIR=$D OVS_DBDIR=$D OVS_LOGDIR=$D
case $cmd in
start)
  node=$3
  mkdir -p "$D"; rm -f "$D/conf.db"
  ovsdb-tool create "$D/conf.db" /usr/share/openvswitch/vswitch.ovsschema
  ovsdb-server --remote=punix:$D/db.sock --pidfile=$D/ovsdb-server.pid --detach \
      --log-file=$D/ovsdb-server.log "$D/conf.db"
  ovs-vsctl --db=unix:$D/db.sock --no-wait init
  ovs-vswitchd unix:$D/db.sock --pidfile=$D/ovs-vswitchd.pid --detach \
      --log-file=$D/ovs-vswitchd.log --enable-dummy=override
  V="ovs-vsctl --db=unix:$D/db.sock"
  $V add-br br-int -- set bridge br-int datapath_type=netdev protocols=OpenFlow10,OpenFlow13 fail_mode=secure
  $V add-port br-int antrea-tun0 -- set interface antrea-tun0 type=geneve options:remote_ip=flow ofport_request=1
  $V add-port br-int antrea-gw0 -- set interface antrea-gw0 type=internal ofport_request=2
  case $node in
  worker1) ports="coredns--3e3abf:3 antrea-o-830766:4 backend1-bab86f:5 frontend-a3ba2f:6" ;;
  worker2) ports="coredns--d8f62c:3 backend2-202ff6:35" ;;
  esac
  for p in $ports; do
    $V add-port br-int ${p%%:*} -- set interface ${p%%:*} type=dummy ofport_request=${p##*:}
  done
  ovs-ofctl -O OpenFlow13 add-tlv-map br-int "{class=0xffff,type=0,len=4}->tun_metadata0"
  ;;
stop)
  for p in ovs-vswitchd ovsdb-server; do
    [ -f "$D/$p.pid" ] && kill "$(cat "$D/$p.pid")" 2>/dev/null || true
  done
  ;;
esac
