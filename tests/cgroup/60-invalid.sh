#!/bin/sh
# 60-invalid.sh - limits the kernel or runt refuse: a clear error naming the field or file,
# and nothing created (no cgroup, no state, no process).
TESTS=$(cd "$(dirname "$0")/.." && pwd) && . "$TESTS/lib.sh" && . "$TESTS/cgroup/cg.sh"
require_runt
require_cgroup2

# refused NAME RESOURCES WORD...: create fails, names WORDs, and leaves no cgroup.
refused() {
	_name=$1 _res=$2
	shift 2
	_id=$(cid "$_name")
	_b=$(cgbundle "$_name" "$_res" true)
	rt_create "$_id" "$_b"
	check_err "$_name: refused" "$@"
	check_no_cgroup "$_name" "$_id"
	check_eq "$_name: no state" "" "$(state_dirs)"
}

refused negative '{"memory": {"limit": -7}}' '.linux.resources.memory.limit: -7 is invalid'
refused negshares '{"cpu": {"shares": -1}}' '.linux.resources.cpu.shares: must not be negative'
refused unknown '{"unified": {"memory.nonexistent": "1"}}' \
	'memory.nonexistent: No such file or directory'
refused traversal '{"unified": {"../../cgroup.procs": "1"}}' \
	'.linux.resources.unified["../../cgroup.procs"]: invalid key'
refused ctrl '{"unified": {"bogus.max": "1"}}' 'unknown controller "bogus"'
refused badcpus '{"cpu": {"cpus": "4000"}}' 'write "4000"' 'cpuset.cpus'
refused hugesize '{"hugepageLimits": [{"pageSize": "3MB", "limit": 1}]}' 'hugetlb.3MB.max'
refused badval '{"unified": {"memory.max": "lots"}}' 'write "lots"' 'memory.max'
refused swap '{"memory": {"limit": 33554432, "swap": 1048576}}' \
	'must be >= memory.limit'
refused realtime '{"cpu": {"realtimeRuntime": 1000}}' 'realtime CPU limits are cgroup v1 only'
refused badtype '{"pids": {"limit": "10"}}' '.linux.resources.pids.limit: expected number'

leftovers_check "invalid"
done_testing
