#!/usr/bin/env bash
# `make fuzz`: builds each fuzz target with libFuzzer and AddressSanitizer (in .build/fuzz, apart
# from the release build), then runs each for FUZZ_SECONDS (default 60) from the committed
# corpus (Fuzz/Corpus/<target>) plus what earlier runs found interesting (.build/fuzz-corpus).
# An input that crashes is written to Fuzz/Findings/<target>/ (commit it: `make test` replays
# every file there) and the run fails. Prints each target's executed inputs.
#   FUZZ_SECONDS=3600 make fuzz          # a long run
#   FUZZ_TARGETS="FuzzRequests" make fuzz
#   FUZZ_MAX_LEN=512 make fuzz          # shorter inputs, ten times the rate (default 65536)
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${FUZZ_SECONDS:-60}
targets=${FUZZ_TARGETS:-"FuzzRequests FuzzReplies FuzzSplit FuzzConfig"}
max_len=${FUZZ_MAX_LEN:-65536}
flags=(-c release --scratch-path .build/fuzz -Xswiftc -sanitize=fuzzer,address -Xswiftc -DFUZZING
    -Xswiftc -parse-as-library -Xswiftc -enable-testing)
for target in $targets; do
    swift build "${flags[@]}" --product "$target"
done
status=0
for target in $targets; do
    mkdir -p ".build/fuzz-corpus/$target" "Fuzz/Findings/$target"
    log=".build/fuzz-$target.log"
    if ! ".build/fuzz/release/$target" ".build/fuzz-corpus/$target" "Fuzz/Corpus/$target" \
        -max_total_time="$seconds" -max_len="$max_len" -timeout=10 -rss_limit_mb=2048 \
        -artifact_prefix="Fuzz/Findings/$target/" -print_final_stats=1 >"$log" 2>&1; then
        echo "$target: FOUND A CRASH (see $log and Fuzz/Findings/$target/)"
        status=1
    fi
    runs=$(grep -Eo 'stat::number_of_executed_units: *[0-9]+' "$log" | grep -Eo '[0-9]+$' || echo "?")
    echo "$target: $runs inputs in ${seconds}s, corpus $(ls ".build/fuzz-corpus/$target" | wc -l) files"
done
exit $status
