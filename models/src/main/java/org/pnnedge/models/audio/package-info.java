/**
 * Sound in, features out: WAV reading and writing, resampling, F0 and the vowel nucleus, LPC / discrete all-pole
 * formants ({@link org.pnnedge.models.audio.LpcFormants}), the 12 features the models use
 * ({@link org.pnnedge.models.audio.FormantFeatures}), and the formant synthesizer that renders test and training
 * vowels ({@link org.pnnedge.models.audio.VowelSynthesizer}, {@link org.pnnedge.models.audio.HeardVowels}).
 *
 * <p><b>May import</b> {@code bundle} and {@code data}.
 */
package org.pnnedge.models.audio;
