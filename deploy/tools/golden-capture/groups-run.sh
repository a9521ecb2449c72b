HERE=$(cd "$(dirname "$0")" && pwd)  # needs: deploy/tools/ovs-truth.sh start w0 worker1; writes /tmp/ovs-truth/{rt,grp}
. $HERE/lib.sh; mkdir -p $T/rt $T/grp
B=unix:$T/w0/br-int.mgmt
cd $T/grp; rm -f log.* out.tsv errs.tsv
ovs-ofctl -O OpenFlow13 del-flows $B; ovs-ofctl -O OpenFlow13 del-groups $B
i=0
while IFS= read -r line; do
  i=$((i+1))
  rec_start w0 $T/grp/log.$i
  ovs-ofctl -O OpenFlow13 add-group unix:$REC "$line" 2> err.$i; rc=$?
  rec_stop
  o13=$(ovs-ofctl -O OpenFlow13 dump-groups $B group_id=$(echo "$line" | sed 's/group_id=\([0-9]*\).*/\1/') 2>&1 | grep -v '^OFPST_GROUP_DESC' | sed 's/^ //' | paste -sd'|')
  printf '%s\t%s\t%s\t%s\t%s\n' "$i" "$line" "$rc" "$o13" "$(tr '\n' ' ' < err.$i)" >> out.tsv
done < $HERE/groups-inputs.txt
rec_start w0 $T/grp/log.dump
ovs-ofctl -O OpenFlow13 dump-groups unix:$REC > dump13.txt
ovs-ofctl -O OpenFlow15 dump-groups unix:$REC > dump15.txt 2>&1
ovs-ofctl dump-groups unix:$REC > dump10.txt 2>&1
rec_stop
