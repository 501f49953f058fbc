#!/usr/bin/env bash
# The scale benchmark (docs/scale.md): for each trace count N, simulate N traces, train one epoch on them and analyze
# the run, each as its own process under GNU time (wall seconds, peak resident memory of that process), and with
# --main the whole main command as well. Prints a Markdown table as the steps finish, the time per trace against the
# smallest N (1.00 is linear cost) and which of the scale goals (docs/scale.md) are met; writes the same to a report file.
set -euo pipefail

usage() {
    cat <<'EOF'
Usage: tools/scale-bench.sh [options] [N ...]
  N               trace counts, integers in 2..1000000 (default: 10000 100000 1000000)
  --main          also time the whole main command (--beta 0.5 --hh-count N) for each N <= 100000
  --no-build      use the host as built; otherwise `dotnet build -c Release src/Vae.Host` first
  --scratch DIR   work folder (default: a new folder under /tmp, removed after a pass unless --keep)
  --keep          keep the datasets and run folders (by default each N's dataset goes once its steps are done)
  --report FILE   report file (default: <scratch>/../scale-bench-<date>.md)
  --help          this text
Each step's output goes to <scratch>/<step>-<N>.log. 1,000,000 traces need about 21 GB of disk.
EOF
}

fail() { printf 'scale-bench: %s\n' "$*" >&2; exit 1; }
say() { printf '[scale-bench] %s\n' "$*" >&2; }
# 1234567 -> 1,234,567
group() {
    local n=$1 out=""
    while ((n >= 1000)); do
        out=$(printf ',%03d%s' $((n % 1000)) "$out")
        n=$((n / 1000))
    done
    printf '%d%s' "$n" "$out"
}

build=1 main=0 keep=0 scratch="" report="" counts=()
while (($# > 0)); do
    case $1 in
        --help | -h) usage; exit 0 ;;
        --main) main=1 ;;
        --no-build) build=0 ;;
        --keep) keep=1 ;;
        --scratch) (($# > 1)) || fail "--scratch needs a folder"; scratch=$2; shift ;;
        --report) (($# > 1)) || fail "--report needs a file"; report=$2; shift ;;
        -*) fail "unknown option $1 (see --help)" ;;
        *)
            if ! [[ $1 =~ ^[0-9]{1,7}$ ]] || ((10#$1 < 2 || 10#$1 > 1000000)); then
                fail "trace count '$1' is not an integer in 2..1000000"
            fi
            n=$((10#$1))
            for c in "${counts[@]}"; do ((c != n)) || fail "trace count $n is given twice"; done
            counts+=("$n") ;;
    esac
    shift
done
((${#counts[@]} > 0)) || counts=(10000 100000 1000000)
[ -x /usr/bin/time ] || fail "install Debian's package time (apt-get install time)"

repo=$(cd "$(dirname "$0")/.." && pwd)
if [ "$build" = 1 ]; then
    say "building the host"
    dotnet build -c Release "$repo/src/Vae.Host" -v quiet -nologo >&2
fi
host=(dotnet "$repo/src/Vae.Host/bin/Release/net10.0/Vae.Host.dll")
[ -f "${host[1]}" ] || fail "${host[1]} is missing; build it (dotnet build -c Release src/Vae.Host) or drop --no-build"

# A folder of our own goes after a pass unless --keep; one the caller names stays (only its datasets go).
own_scratch=0
if [ -z "$scratch" ]; then scratch=$(mktemp -d /tmp/fvae-scale-XXXXXX); own_scratch=1; fi
mkdir -p "$scratch"
scratch=$(cd "$scratch" && pwd)
[ -n "$report" ] || report="$(dirname "$scratch")/scale-bench-$(date +%Y%m%d-%H%M%S).md"
: >"$report"
passed=0
cleanup() { if [ "$passed" = 1 ] && [ "$own_scratch" = 1 ] && [ "$keep" = 0 ]; then rm -rf "$scratch"; fi; }
trap cleanup EXIT
say "scratch folder $scratch, report $report"

# Every line of the results goes to stdout and to the report.
emit() { printf '%s\n' "$*" | tee -a "$report"; }

cores=$(nproc)
cpu=$(lscpu | sed -n 's/^Model name: *//p' | head -n 1)
memory=$(awk '/^MemTotal:/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)
commit=$(git -C "$repo" rev-parse --short HEAD)
git -C "$repo" diff --quiet HEAD -- || commit="$commit (with uncommitted changes)"
emit "Scale benchmark: ${cpu:-unknown CPU}, $cores cores, $memory memory; $(date '+%Y-%m-%d %H:%M %Z'); commit $commit"
emit ""
emit "| traces | step | wall s | us per trace | peak RSS MiB |"
emit "|---:|---|---:|---:|---:|"

# Results by "N step": microseconds per trace, peak MiB.
declare -A us_per_trace peak_mib
steps_run=()

# run_step N STEP COMMAND...: runs COMMAND under GNU time, its output to STEP-N.log; stops the script if it fails.
run_step() {
    local n=$1 step=$2
    shift 2
    local log="$scratch/$step-$n.log" timing="$scratch/$step-$n.time" rc=0
    say "$(group "$n") traces: $step"
    /usr/bin/time -f '%e %M' -o "$timing" "$@" >"$log" 2>&1 || rc=$?
    if ((rc != 0)); then
        printf 'scale-bench: %s at %s traces failed with exit code %d; its log: %s\n' "$step" "$(group "$n")" "$rc" "$log" >&2
        exit "$rc"
    fi
    local wall kib
    read -r wall kib <"$timing"
    us_per_trace["$n $step"]=$(awk -v w="$wall" -v n="$n" 'BEGIN { printf "%.1f", w * 1e6 / n }')
    peak_mib["$n $step"]=$(((kib + 512) / 1024))
    [[ " ${steps_run[*]} " == *" $step "* ]] || steps_run+=("$step")
    emit "| $(group "$n") | $step | $wall | ${us_per_trace["$n $step"]} | $(group "${peak_mib["$n $step"]}") |"
}

# check_disk N: refuses unless the scratch folder has room for N traces' dataset file (20,000 bytes of float32 samples
# per trace, and its per-trace arrays), a second one in the main command's data folder, and 10 % to spare.
check_disk() {
    local n=$1 files=1 avail need
    if ((main == 1 && n <= 100000)); then files=2; fi
    need=$((n * 20100 * files * 11 / 10))
    avail=$(df --output=avail -B1 "$scratch" | tail -n 1 | tr -d ' ')
    if ((avail < need)); then
        fail "$(group "$n") traces need $(group $((need / 1000000))) MB free in $scratch; it has $(group $((avail / 1000000))) MB"
    fi
}
# The largest N first, so that a 10^6 run too big for the disk is refused before the smaller ones take their time.
check_disk "$(printf '%s\n' "${counts[@]}" | sort -n | tail -n 1)"

for n in "${counts[@]}"; do
    data="$scratch/hh-$n.h5"
    check_disk "$n"
    run_step "$n" simulate "${host[@]}" simulate --n "$n" --seed 0 --threads "$cores" --out "$data"
    run_step "$n" train "${host[@]}" --hh-data "$data" --epochs 1 --beta 0.5 --no-analysis --no-tensorboard \
        --threads "$cores" --out "$scratch/run-$n"
    # The run's config names its dataset file, so analyze finds it without --data.
    run_step "$n" analyze "${host[@]}" analyze "$scratch/run-$n" --threads "$cores"
    if ((main == 1 && n <= 100000)); then
        run_step "$n" main "${host[@]}" --beta 0.5 --hh-count "$n" --data-dir "$scratch/data" --out "$scratch/main-$n"
    elif ((main)); then
        say "$(group "$n") traces: no main command above 100,000 traces"
    fi
    # 1,000,000 traces are a 20 GB file: the next N should not need room for this one too.
    if [ "$keep" = 0 ]; then rm -rf "$data" "$scratch/data"; fi
done

# Time per trace of each step at each N against that step's time per trace at the smallest N it ran at.
declare -A ratio baseline
header="| step |" rule="|---|"
for n in "${counts[@]}"; do header+=" $(group "$n") |"; rule+="---:|"; done
emit ""
emit "Time per trace against the step's time per trace at its smallest N (linear cost: 1.00)"
emit ""
emit "$header"
emit "$rule"
for step in "${steps_run[@]}"; do
    for n in $(printf '%s\n' "${counts[@]}" | sort -n); do
        if [ -n "${us_per_trace["$n $step"]:-}" ]; then baseline[$step]=$n; break; fi
    done
    row="| $step |"
    for n in "${counts[@]}"; do
        if [ -n "${us_per_trace["$n $step"]:-}" ]; then
            ratio["$n $step"]=$(awk -v a="${us_per_trace["$n $step"]}" -v b="${us_per_trace["${baseline[$step]} $step"]}" \
                'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }')
            row+=" ${ratio["$n $step"]} |"
        else
            row+=" - |"
        fi
    done
    emit "$row"
done

# The scale goals: the main command's peak at 10^4 and 10^5 traces; at 10^6 each step's peak, and its time per
# trace against that at the smallest N (10^4 when the default counts run).
emit ""
emit "Goals"
emit ""
goal_peak() { # N STEP LIMIT_MIB LABEL
    local n=$1 step=$2 limit=$3 label=$4 peak=${peak_mib["$1 $2"]:-} verdict="not met"
    if [ -z "$peak" ]; then
        emit "- $(group "$n") traces: $label peak <= $(group "$limit") MiB: not measured"
        return
    fi
    if ((peak <= limit)); then verdict=met; fi
    emit "- $(group "$n") traces: $label peak $(group "$peak") MiB <= $(group "$limit"): $verdict"
}
goal_peak 10000 main 1024 "main command"
goal_peak 100000 main 2048 "main command"
for step in simulate train analyze; do
    goal_peak 1000000 "$step" 4096 "$step"
    r=${ratio["1000000 $step"]:-}
    if [ -z "$r" ] || [ "${baseline[$step]}" = 1000000 ]; then
        emit "- 1,000,000 traces: $step time per trace within 20 % of 10,000's: not measured"
    else
        verdict=$(awk -v r="$r" 'BEGIN { print (r <= 1.2 ? "met" : "not met") }')
        emit "- 1,000,000 traces: $step time per trace $r x $(group "${baseline[$step]}")'s <= 1.20: $verdict"
    fi
done
say "report written to $report"
passed=1
