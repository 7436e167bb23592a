#!/usr/bin/env bash
# Compile time added by #[hipchat] (debug profile), see BENCHMARKS.md.
#
# Generates two crates with the same 100 event structs (5 fields each): one annotated with
# #[hipchat(template = ...)], one with a hand-written `format!` render function. Both share
# a target directory, so dependencies are built once and only the crate itself is timed.
# Reports the median of RUNS rebuilds of each crate after touching src/lib.rs, and of the
# annotated crate after touching one template.
#
#   bash benches/build_cost.sh            # RUNS=5 STRUCTS=100 by default
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
work=${BUILD_COST_DIR:-$root/target/build-cost}
runs=${RUNS:-5}
structs=${STRUCTS:-100}
export CARGO_TARGET_DIR=$work/target

generate() {
    local kind=$1 dir=$work/$1
    rm -rf "$dir" && mkdir -p "$dir/src" "$dir/templates"
    cat > "$dir/Cargo.toml" <<TOML
[package]
name = "build-cost-$kind"
version = "0.0.0"
edition = "2024"
publish = false

[dependencies]
hipchat = { path = "$root" }

[workspace]
TOML
    {
        [ "$kind" = annotated ] && echo "use hipchat::prelude::*;"
        for i in $(seq 1 "$structs"); do
            echo "Deploy {{ service }} {{ version }} by {{ author }} ({{ url|urlize }}) {% if failed %}failed{% endif %} #$i" \
                > "$dir/templates/event_$i.hipchat"
            if [ "$kind" = annotated ]; then
                echo "#[hipchat(room = \"Ops\", color = \"red\", template = \"event_$i.hipchat\")]"
            fi
            echo "pub struct Event$i { pub service: String, pub version: String, pub author: String, pub url: String, pub failed: bool }"
            if [ "$kind" = plain ]; then
                echo "impl Event$i { pub fn render(&self) -> String { format!(\"Deploy {} {} by {} ({}) {} #$i\", self.service, self.version, self.author, self.url, if self.failed { \"failed\" } else { \"\" }) } }"
            fi
        done
    } > "$dir/src/lib.rs"
}

# Median of the wall-clock seconds of `cargo build` after running "$@" (a touch).
median_rebuild() {
    local dir=$1; shift
    local times=()
    for _ in $(seq 1 "$runs"); do
        "$@"
        local start end
        start=$(date +%s%N)
        (cd "$dir" && cargo build -q)
        end=$(date +%s%N)
        times+=("$(( (end - start) / 1000000 ))")
    done
    printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {m=a[int((NR+1)/2)]; printf "%.3f (min %.3f, max %.3f)", m/1000, a[1]/1000, a[NR]/1000}'
}

generate annotated
generate plain
(cd "$work/annotated" && cargo build -q) # dependencies, once
(cd "$work/plain" && cargo build -q)

plain=$(median_rebuild "$work/plain" touch "$work/plain/src/lib.rs")
annotated=$(median_rebuild "$work/annotated" touch "$work/annotated/src/lib.rs")
template=$(median_rebuild "$work/annotated" touch "$work/annotated/templates/event_1.hipchat")

echo "structs: $structs, runs: $runs, rustc: $(rustc --version)"
echo "plain crate rebuild (s):              $plain"
echo "annotated crate rebuild (s):          $annotated"
echo "annotated, one template touched (s):  $template"
awk -v p="${plain%% *}" -v a="${annotated%% *}" -v n="$structs" \
    'BEGIN { printf "added per annotated struct: %.1f ms\n", (a - p) * 1000 / n }'
