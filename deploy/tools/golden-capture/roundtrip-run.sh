HERE=$(cd "$(dirname "$0")" && pwd)  # needs: deploy/tools/ovs-truth.sh start w0 worker1; writes /tmp/ovs-truth/{rt,grp}
. $HERE/lib.sh; mkdir -p $T/rt $T/grp
B=unix:$T/w0/br-int.mgmt
cd $T/rt; [ -z "$START" ] && rm -f log.* out.tsv
ovs-ofctl -O OpenFlow13 add-group $B 'group_id=1,type=select,bucket=weight:100,actions=output:3,bucket=weight:100,actions=output:4'
ovs-ofctl -O OpenFlow13 add-group $B 'group_id=2,type=all,bucket=actions=output:5,bucket=actions=output:6'
i=${START:-0}
while IFS= read -r line; do
  i=$((i+1))
  ovs-ofctl -O OpenFlow13 del-flows $B
  rec_start w0 $T/rt/log.$i
  ovs-ofctl -O OpenFlow13 add-flow unix:$REC "$line" 2> err.$i; rc=$?
  rec_stop
  o13=$(ovs-ofctl -O OpenFlow13 dump-flows $B --no-stats | sed 's/^ //' | paste -sd'|')
  o10=$(ovs-ofctl dump-flows $B --no-stats | sed 's/^ //' | paste -sd'|')
  err=$(tr '\n' ' ' < err.$i | sed 's/ *$//')
  printf '%s\t%s\t%s\t%s\t%s\n' "$i" "$line" "$rc" "$o13" "$o10" >> out.tsv
  [ -n "$err" ] && printf '%s\t%s\n' "$i" "$err" >> errs.tsv
done < ${INPUTS:-$HERE/roundtrip-inputs.txt}
