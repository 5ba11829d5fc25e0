// Renders words with SAM, the Software Automatic Mouth (npm package sam-js), for bench/render-withheld-voices.sh.
//   node bench/render-sam.cjs SAMJS_DIST_FILE OUT_DIR VOICE_ID SPEED PITCH MOUTH THROAT FILE=PHONEMES...
// writes OUT_DIR/VOICE_ID_FILE.wav for every FILE=PHONEMES pair: SAM's own WAV (sam-js's wav(): 8-bit unsigned PCM,
// mono, 22,050 Hz, the renderer's native output, unchanged). Phoneme input (phonetic = true), so SAM's English
// text-to-phoneme rules (which read "heard" as /HIY5RD/) are not involved. Deterministic: SAM has no random part.
'use strict';
const fs = require('fs');
const path = require('path');

const [dist, outDir, id, speed, pitch, mouth, throat, ...words] = process.argv.slice(2);
if (!dist || !outDir || !id || words.length === 0) {
  console.error('usage: render-sam.cjs SAMJS_DIST_FILE OUT_DIR VOICE_ID SPEED PITCH MOUTH THROAT FILE=PHONEMES...');
  process.exit(2);
}
const SamJs = require(path.resolve(dist));
const options = { speed: +speed, pitch: +pitch, mouth: +mouth, throat: +throat };
for (const [k, v] of Object.entries(options)) {
  if (!Number.isInteger(v) || v < 1 || v > 255) {
    console.error(`render-sam: ${k} must be an integer 1..255, got ${v}`);
    process.exit(2);
  }
}
const sam = new SamJs(options);
for (const w of words) {
  const eq = w.indexOf('=');
  const file = w.slice(0, eq);
  const phonemes = w.slice(eq + 1);
  const wav = sam.wav(phonemes, true);
  // sam-js returns false (or a header with no samples) when its parser rejects the phonemes
  if (!wav || wav.length <= 44) {
    console.error(`render-sam: SAM rejected the phonemes '${phonemes}' (voice ${id}, word ${file})`);
    process.exit(1);
  }
  fs.writeFileSync(path.join(outDir, `${id}_${file}.wav`), wav, { mode: 0o644 });
}
