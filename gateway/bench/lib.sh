# Shared by the gateway's benchmark scripts (sourced, not run): the wrk runner and its output parser, and the CPU
# time of a process from /proc. Needs $work (the script's throwaway folder), wrk and python3.

# A process's CPU time so far in clock ticks (utime + stime).
ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
hz=$(getconf CLK_TCK)

# CPU microseconds per request from tick counts before and after: per_request TICKS REQUESTS
per_request() { python3 -c "import sys; t,n,hz=map(float,sys.argv[1:4]); print(f'{t*1e6/hz/max(n,1):.0f}')" "$1" "$2" "$hz"; }

# wrk_run URL CONNECTIONS SECONDS [DECIMALS (1)] -> "rate p50 p99 bad requests" (latencies in ms; bad = non-2xx/3xx
# answers + socket errors; requests = all wrk counted). $wrk_header, when set, is sent with every request, and so is
# each element of the array wrk_headers, when set.
wrk_run() {
  local extra=()
  local h
  for h in ${wrk_headers[@]+"${wrk_headers[@]}"}; do extra+=(-H "$h"); done
  wrk -t2 -c"$2" -d"${3}s" --latency --timeout 10s ${wrk_header:+-H "$wrk_header"} ${extra[@]+"${extra[@]}"} "$1" \
    > "$work/wrk.out" 2>&1 || true
  python3 - "$work/wrk.out" "${4:-1}" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
decimals = int(sys.argv[2])
def ms(label):
    m = re.search(r'^\s*' + label + r'\s+([\d.]+)(us|ms|s)\s*$', text, re.M)
    return float(m.group(1)) * {'us': 0.001, 'ms': 1, 's': 1000}[m.group(2)] if m else float('nan')
rate = re.search(r'Requests/sec:\s+([\d.]+)', text)
total = re.search(r'(\d+) requests in', text)
bad = re.search(r'Non-2xx or 3xx responses:\s+(\d+)', text)
errors = re.search(r'Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)', text)
n = (int(bad.group(1)) if bad else 0) + (sum(int(g) for g in errors.groups()) if errors else 0)
print(f"{float(rate.group(1)) if rate else 0:.0f} {ms('50%'):.{decimals}f} {ms('99%'):.{decimals}f} {n} {int(total.group(1)) if total else 0}")
PY
}
