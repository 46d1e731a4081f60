# Shared by the benchmark scripts (sourced, not run; gateway/bench/lib.sh sources it too): wrk's output parser.
# Needs python3.

# wrk_parse FILE [DECIMALS (1)] -> "rate p50 p99 bad requests" from the output of wrk --latency: req/s (whole), the
# 50th and 99th percentile latencies in ms with DECIMALS decimals ("nan" when wrk printed none), bad = non-2xx/3xx
# answers + socket errors (connect, read, write, timeout), requests = all that wrk counted.
wrk_parse() {
  python3 - "$1" "${2:-1}" <<'PY'
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
