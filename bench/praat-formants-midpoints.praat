# Praat's own formants of one WAV at 30, 40, 50, 60 and 70 % of its duration (Burg, 5 formants up to MAXF Hz,
# 25 ms windows; pitch 75-600 Hz), as an independent check of the audio front end on a few words (BENCHMARKS.md,
# "Hearing: what limits the TTS words"). Prints "F0:F1/F2/F3" per time point; --undefined-- where unvoiced.
#   praat --run bench/praat-formants-midpoints.praat /abs/path/kal_had.wav 5000   # men 5000, women 5500, children 6500
form Formants at the middle of a word
  sentence file
  real maxf 5500
endform
s = Read from file: file$
d = Get total duration
p = To Pitch: 0, 75, 600
selectObject: s
f = To Formant (burg): 0, 5, maxf, 0.025, 50
out$ = ""
for i from 3 to 7
  t = d * i / 10
  selectObject: p
  f0 = Get value at time: t, "Hertz", "linear"
  selectObject: f
  f1 = Get value at time: 1, t, "hertz", "linear"
  f2 = Get value at time: 2, t, "hertz", "linear"
  f3 = Get value at time: 3, t, "hertz", "linear"
  out$ = out$ + fixed$(f0, 0) + ":" + fixed$(f1, 0) + "/" + fixed$(f2, 0) + "/" + fixed$(f3, 0) + "  "
endfor
writeInfoLine: out$
