#!/usr/bin/env bash
# Makes the fonts compiled into chartgate, from Debian's packages (licenses
# copied beside the fonts; Noto's is the SIL Open Font License 1.1):
#   - DejaVuSans.ttf and DejaVuSans-Bold.ttf: DejaVu Sans as fonts-dejavu-core
#     ships it, less its hinting (chartgate rasterizes unhinted outlines).
#   - NotoSansCJKsc-Regular-subset.otf: Noto Sans CJK SC cut down to the
#     characters people chart with: GB 2312 (6,763 hanzi and its symbols),
#     Big5 level 1 (5,401 common traditional hanzi), JIS X 0208 level 1
#     (2,965 common Japanese kanji), KS X 1001's 2,350 Hangul syllables,
#     kana, CJK punctuation and full-width forms, and Latin-1 for labels
#     set in the family. The whole
#     face is 16 MB; the subset keeps the binary small enough to embed.
#   - Noto Sans Arabic, Hebrew, Devanagari and Thai, regular and bold, as
#     Debian ships them (a few hundred KB each): scripts DejaVu Sans lacks
#     or draws without the shaping features these have.
#   - DejaVuSans-Oblique-subset.ttf and DejaVuSans-BoldOblique-subset.ttf
#     (fonts-dejavu-extra, DejaVu's license): the oblique faces cut to
#     Latin, Greek, basic Cyrillic and punctuation, so italic labels are
#     drawn in the face a browser with DejaVu installed draws them in;
#     other scripts' italics are slanted as browsers slant them.
#   - Symbola-emoji-subset.ttf: the emoji and pictograph blocks of Symbola
#     (fonts-symbola; "free for any use", its license beside it), so 📈 is a
#     monochrome chart, not a box, with no font installed.
# Run it again to remake them; its output is committed, so builds need none
# of this.
set -euo pipefail
cd "$(dirname "$0")/.."
out=assets/fonts
need=()
[ -f /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc ] || need+=(fonts-noto-cjk)
[ -f /usr/share/fonts/truetype/noto/NotoSansThai-Regular.ttf ] || need+=(fonts-noto-core)
[ -f /usr/share/fonts/truetype/ancient-scripts/Symbola_hint.ttf ] || need+=(fonts-symbola)
[ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || need+=(fonts-dejavu-core)
[ -f /usr/share/fonts/truetype/dejavu/DejaVuSans-Oblique.ttf ] || need+=(fonts-dejavu-extra)
if [ ${#need[@]} -gt 0 ]; then
  apt-get install -y "${need[@]}"
fi
python3 -c 'import fontTools' 2>/dev/null || pip install fonttools

chars=$(mktemp)
trap 'rm -f "$chars"' EXIT
python3 - "$chars" <<'PY'
import sys
cs = set()
def table(encoding, rows, cols):
    for r in rows:
        for c in cols:
            try:
                cs.add(bytes([r, c]).decode(encoding))
            except UnicodeDecodeError:
                pass
table('gb2312', range(0xA1, 0xF8), range(0xA1, 0xFF))  # all of GB 2312
table('big5', range(0xA4, 0xC7), list(range(0x40, 0x7F)) + list(range(0xA1, 0xFF)))  # level 1
table('euc_kr', range(0xB0, 0xC9), range(0xA1, 0xFF))  # Hangul syllables
table('euc_jp', range(0xA1, 0xD0), range(0xA1, 0xFF))  # JIS X 0208 level 1 kanji (売, 県) and symbols
# Latin-1 and general punctuation too: a label set in 'Noto Sans CJK SC'
# (fontFamily) gets the family's own Latin, as a browser draws it.
ranges = [(0x20, 0x7E), (0xA0, 0xFF), (0x2000, 0x206F),
          (0x3000, 0x303F), (0x3040, 0x30FF), (0x31F0, 0x31FF), (0xFF00, 0xFFEF)]
for lo, hi in ranges:
    cs.update(chr(u) for u in range(lo, hi + 1))
open(sys.argv[1], 'w').write(''.join(sorted(c for c in cs if len(c) == 1)))
print(len(cs), 'characters', file=sys.stderr)
PY
# Face 2 of the collection is Simplified Chinese: its glyphs for shared
# code points are the mainland forms.
pyftsubset /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc --font-number=2 \
  --text-file="$chars" --no-hinting --layout-features='*' \
  --output-file="$out/NotoSansCJKsc-Regular-subset.otf"
pyftsubset /usr/share/fonts/truetype/ancient-scripts/Symbola_hint.ttf \
  --unicodes='U+2300-23FF,U+2600-27BF,U+2B00-2BFF,U+1F000-1FAFF,U+200D,U+FE0F' \
  --no-hinting --layout-features='*' --output-file="$out/Symbola-emoji-subset.ttf"
# Hinting is dropped (outlines are rasterized unhinted, so pictures do not
# change); the legacy `kern` table is kept: the plain-text layout reads
# pair kerning from it. DejaVu Sans regular and bold keep every glyph, at
# its id, and every table but hinting's (110 KB less each).
for f in DejaVuSans DejaVuSans-Bold; do
  pyftsubset "/usr/share/fonts/truetype/dejavu/$f.ttf" --glyphs='*' --unicodes='*' \
    --retain-gids --no-hinting --legacy-kern --layout-features='*' --name-IDs='*' \
    --name-languages='*' --notdef-outline --notdef-glyph --glyph-names --symbol-cmap \
    --legacy-cmap --output-file="$out/$f.ttf"
done
for f in DejaVuSans-Oblique DejaVuSans-BoldOblique; do
  pyftsubset "/usr/share/fonts/truetype/dejavu/$f.ttf" \
    --unicodes='U+0020-024F,U+0370-03FF,U+0400-045F,U+2010-2027,U+2030-205E,U+20A0-20BF,U+2122' \
    --no-hinting --legacy-kern --layout-features='*' --output-file="$out/$f-subset.ttf"
done
zcat -f /usr/share/doc/fonts-symbola/copyright > "$out/LICENSE-Symbola.txt"
for s in Arabic Hebrew Devanagari Thai; do
  for w in Regular Bold; do
    cp "/usr/share/fonts/truetype/noto/NotoSans$s-$w.ttf" "$out/"
  done
done
# Debian's copyright files carry the copyright lines and the OFL's full text.
{
  zcat -f /usr/share/doc/fonts-noto-cjk/copyright
  echo; echo '----- fonts-noto-core (Arabic, Hebrew, Devanagari, Thai) -----'; echo
  zcat -f /usr/share/doc/fonts-noto-core/copyright
} > "$out/LICENSE-Noto.txt"
ls -la "$out"
