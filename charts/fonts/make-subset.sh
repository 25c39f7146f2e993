#!/bin/sh
# Regenerates charts/fonts/NotoSansCJKjp-subset.otf, the font of the Japanese PNG charts:
# Noto Sans CJK JP Regular (SIL OFL 1.1, LICENSE-NotoSansCJK.txt) cut down to the characters
# the charts can write in Japanese, so the binary carries some 25 KB instead of the 19 MB collection.
#
# The characters are every value of the [graph], [values] and [error_status] sections of
# admin-cli/data/ja.toml (the Japanese texts the CLI gives the charts), printable ASCII
# (numbers, dates, time zones, domain names) and the punctuation of the charts' own layout.
# Run it again after adding a Japanese graph text, then `cargo test -p hikyaku-admin-cli
# graph` (a test there fails when a catalog character is missing from the subset).
#
# Needs: the Debian package fonts-noto-cjk (apt-get install fonts-noto-cjk) and fontTools
# (pip install fonttools; made with 4.68.0). Python 3.11+ for tomllib.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
source_font=${NOTO_CJK:-/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc}
catalog="$root/admin-cli/data/ja.toml"
out="$here/NotoSansCJKjp-subset.otf"

if [ ! -f "$source_font" ]; then
    echo "missing $source_font: apt-get install fonts-noto-cjk (or set NOTO_CJK)" >&2
    exit 1
fi

text=$(mktemp)
trap 'rm -f "$text"' EXIT

python3 - "$catalog" > "$text" <<'EOF'
import sys, tomllib

with open(sys.argv[1], "rb") as f:
    catalog = tomllib.load(f)
chars = set(chr(c) for c in range(0x20, 0x7F))
# The charts' own punctuation: title range dash, subtitle separators, legend ellipsis, and
# the full-width forms a Japanese text may use.
chars.update("·–—…×、。・：（）「」％")
for section in ("graph", "values", "error_status"):
    for value in catalog.get(section, {}).values():
        chars.update(value)
sys.stdout.write("".join(sorted(chars)))
EOF

# Font 0 of the collection is Noto Sans CJK JP. No layout features, hinting or extra names:
# the charts place glyphs one by one at their advance (charts/src/raster.rs).
pyftsubset "$source_font" \
    --font-number=0 \
    --text-file="$text" \
    --layout-features='' \
    --no-hinting \
    --desubroutinize \
    --name-IDs=0,1,2,3,4,5,6,7,13,14 \
    --output-file="$out"

echo "wrote $out ($(wc -c < "$out") bytes, $(wc -m < "$text") characters)"
