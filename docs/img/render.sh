#!/usr/bin/env bash
# render.sh FAULTLINE [OUTDIR] — renders the screenshots listed in
# shots.txt (headless: no display needed) into OUTDIR (default: here).
set -eu
fl=$1
here=$(cd "$(dirname "$0")" && pwd)
out=${2:-$here}
top=$(cd "$here/../.." && pwd)
grep -v '^#' "$here/shots.txt" | while read -r name scen opts; do
    [ -n "$name" ] || continue
    if [[ " $opts " == *" --svg "* ]]; then
        # shellcheck disable=SC2086
        "$fl" viz "$top/scenarios/$scen" ${opts/--svg/--svg $out/$name.svg}
    else
        # shellcheck disable=SC2086
        "$fl" viz "$top/scenarios/$scen" $opts --screenshot "$out/$name.png"
    fi
done
