# Renders Hillenbrand tokens as /hVd/ words with Praat's KlattGrid (bench/render-praat-hillenbrand.sh runs it;
# every synthesis choice is listed in that script's header and in audio.md).
#
#   praat --run render-praat-hillenbrand.praat PARAMS.tsv OUTDIR
#
# PARAMS.tsv: bench/praat_hillenbrand_params.py's table (one token a row). Writes OUTDIR/TALKER_WORD.wav,
# 16 kHz 16-bit mono. Deterministic: the noise generator is seeded per token from its row number.
form Render
  sentence params
  sentence outdir
endform

# timing (s): /h/ aspiration, the /d/ closure (voice bar) and its release burst, silence after
h = 0.07
closure = 0.05
burst = 0.012
tail = 0.03
# levels (dB, KlattGrid units): the vowel's voicing, the /h/ aspiration (about 17 dB below the vowel), the voice
# bar in the closure, the burst
av = 90
ah = 65
avBar = 62
af = 62

table = Read Table from tab-separated file: params$
n = Get number of rows
for row to n
  selectObject: table
  talker$ = Get value: row, "talker"
  word$ = Get value: row, "word"
  dur = Get value: row, "dur"
  f0 = Get value: row, "f0"
  tss = Get value: row, "tss"
  for k to 3
    f20[k] = Get value: row, "F" + string$(k) + "_20"
    fss[k] = Get value: row, "F" + string$(k) + "_ss"
    f50[k] = Get value: row, "F" + string$(k) + "_50"
    f80[k] = Get value: row, "F" + string$(k) + "_80"
  endfor
  f4 = Get value: row, "F4"
  f5 = Get value: row, "F5"

  v0 = h
  v1 = h + dur
  rel = v1 + closure
  total = rel + burst + tail
  random_initializeWithSeedUnsafelyButPredictably (row)
  kg = Create KlattGrid: talker$ + "_" + word$, 0, total, 5, 0, 0, 2, 0, 0, 0

  # F0: 6 % above the table's value at the vowel onset, the table's value at 30 %, falling to 90 % at the vowel's
  # end and 85 % at the release
  Add pitch point: v0, f0 * 1.06
  Add pitch point: v0 + 0.3 * dur, f0
  Add pitch point: v1, f0 * 0.9
  Add pitch point: rel, f0 * 0.85
  # glottal source: Praat's defaults written out (open phase 0.7, power1 3, power2 4)
  Add open phase point: v0, 0.7
  Add power1 point: v0, 3
  Add power2 point: v0, 4

  # voicing: off during /h/, on over 15 ms, -2 dB over the vowel's last 20 ms, a voice bar in the closure, off at
  # the release
  Add voicing amplitude point: v0 - 0.011, 0
  Add voicing amplitude point: v0 - 0.01, 40
  Add voicing amplitude point: v0 + 0.015, av
  Add voicing amplitude point: v1 - 0.02, av
  Add voicing amplitude point: v1, av - 2
  Add voicing amplitude point: v1 + 0.015, avBar
  Add voicing amplitude point: rel - 0.001, avBar
  Add voicing amplitude point: rel, 0
  # /h/: aspiration through the vowel's onset formants, rising over 10 ms, fading out over the first 20 ms of voicing
  Add aspiration amplitude point: 0, 0
  Add aspiration amplitude point: 0.01, ah
  Add aspiration amplitude point: v0 - 0.01, ah
  Add aspiration amplitude point: v0 + 0.02, 0

  # oral formants: F1-F3 through the 20 %, steady-state, 50 % and 80 % points (held before 20 % and after 80 %);
  # F4 and F5 the talker's, kept at least 300 / 400 Hz above the formant below; bandwidth = 50 Hz + 4 % of the
  # frequency
  for p to 4
    if p = 1
      t = 0.2
      for k to 3
        f[k] = f20[k]
      endfor
    elsif p = 2
      t = tss
      for k to 3
        f[k] = fss[k]
      endfor
    elsif p = 3
      t = 0.5
      for k to 3
        f[k] = f50[k]
      endfor
    else
      t = 0.8
      for k to 3
        f[k] = f80[k]
      endfor
    endif
    f[4] = max (f4, f[3] + 300)
    f[5] = max (f5, f[4] + 400)
    for k to 5
      Add oral formant frequency point: k, v0 + t * dur, f[k]
      Add oral formant bandwidth point: k, v0 + t * dur, 50 + 0.04 * f[k]
    endfor
  endfor
  # /d/ closure: F1 falls to 60 % of its 80 % value (at least 180 Hz) over the closure; F2-F5 held
  Add oral formant frequency point: 1, rel, max (180, 0.6 * f80[1])
  Add oral formant bandwidth point: 1, rel, 50 + 0.04 * max (180, 0.6 * f80[1])

  # /d/ release: a 12 ms noise burst through two frication formants at the talker's F4 and F5
  Add frication amplitude point: rel - 0.0005, 0
  Add frication amplitude point: rel, af
  Add frication amplitude point: rel + burst, 0
  Add frication formant frequency point: 1, rel, f4
  Add frication formant bandwidth point: 1, rel, 300
  Add frication formant amplitude point: 1, rel, 0
  Add frication formant frequency point: 2, rel, f5
  Add frication formant bandwidth point: 2, rel, 400
  Add frication formant amplitude point: 2, rel, 0
  Add frication bypass point: rel, -99

  sound = To Sound
  resampled = Resample: 16000, 50
  Scale peak: 0.9
  Save as WAV file: outdir$ + "/" + talker$ + "_" + word$ + ".wav"
  removeObject: kg, sound, resampled
endfor
removeObject: table
