package org.pnnedge.models.data;

// Over 400 lines: about half is the embedded Hillenbrand (1995) statistics the generator samples from.

import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.CholeskyDecomposition_F64;

/**
 * Synthetic vowel tokens in the 12-feature layout of {@link HillenbrandReader} (Hz), built on the measurements of
 * Hillenbrand, Getty, Clark &amp; Wheeler (1995), "Acoustic characteristics of American English vowels",
 * J. Acoust. Soc. Am. 97(5), 3099–3111, so that everything that needs vowel data works from a bare clone.
 *
 * <h2>Model</h2>
 * For talker {@code t} of group {@code g} and a token of vowel {@code v}, feature {@code j} (formant {@code k} at
 * time point steady-state/20/50/80 %) is
 * <pre>
 *   F_j = M[g][v][j] · exp(a_t + s_j z_j − (σ_g² + s_j²)/2)
 *   a_t ~ N(0, σ_g²)                      talker factor, shared by all formants and vowels of the talker
 *   s_j = TOKEN_LOG_SD[g][v][k] · TIME_SD_SCALE[g][j]
 *   z ~ N(0, CORRELATION[g])             12-dimensional, correlated across formants and time points
 * </pre>
 * <ul>
 *   <li>{@code a_t} models vocal-tract length: a longer tract scales every formant of that talker by the same
 *       factor, so tokens of one talker are correlated (log-normal scale factor).</li>
 *   <li>{@code M} holds per vowel and group the mean formants at steady state and at 20, 50, 80 % of the vowel,
 *       which carries the formant movement the paper describes: diphthongization of /ei/ (F1 falls, F2 rises)
 *       and /oa/ (F1 and F2 fall), offglides of /ae, ih, oo, uh/ (F2 falls or rises by 80 %), and the small
 *       onset/offset shifts of the other vowels.</li>
 *   <li>The −(σ²+s²)/2 term makes the expected value of {@code F_j} exactly {@code M[g][v][j]} (log-normal mean).</li>
 *   <li>Formants are numbered by frequency, so a token with F2 ≤ F1 or F3 ≤ F2 at any time point is redrawn
 *       (about 7 % of boys' /iy/ and 2–3 % of /er/, whose F2 and F3 are close, under 2 % elsewhere); this
 *       moves those means by well under 1 % (checked by the tests).</li>
 * </ul>
 *
 * <h2>Where the numbers come from</h2>
 * Derived once, offline, from the published token file {@code vowdata.dat} (Hillenbrand's distribution of the
 * 1995 measurements; in this project {@code ../shared/data/hillenbrand/vowdata.dat}, 1,619 tokens of which 49 of
 * the women's are withheld) and embedded here as summary statistics only — no token is stored. Procedure
 * (reproduced by {@code SyntheticVowelStatsDerivation} in the test sources, whose test checks these constants):
 * <ol>
 *   <li>Per group (men m, women w, boys b, girls g; children = boys + girls as in the paper's Table V) keep
 *       tokens whose 12 features are all measured (non-zero): 527 men, 499 women, 301 boys, 221 girls tokens of
 *       45, 48, 27, 19 talkers.</li>
 *   <li>{@code MEAN_HZ}: arithmetic mean in Hz per group, vowel and feature, rounded to 1 Hz. The steady-state
 *       values agree with Table V of the paper to within a few per cent (e.g. women /ae/ 679, 2324, 2967 Hz here,
 *       669, 2349, 2972 Hz in Table V, which also counts the withheld tokens).</li>
 *   <li>Talker factor: with {@code m[g][v]} the mean of ln F over the group's tokens of vowel v, each talker's
 *       {@code a_t} is the mean of {@code ln F − m} over all of the talker's tokens and all 12 features;
 *       {@code TALKER_LOG_SD} is the SD of {@code a_t} across talkers minus the part expected from token noise
 *       (variance of the mean of a talker's ~11 tokens), i.e. {@code sqrt(var(a) − mean(1/n_t)·ΣC/144)} with
 *       C the pooled residual covariance.</li>
 *   <li>Residuals {@code r = ln F − m[g][v] − a_t}. {@code TOKEN_LOG_SD}: their SD (n−1) for F1..F3 at steady state
 *       per group and vowel. {@code TIME_SD_SCALE}: pooled-over-vowels SD of each of the 12 features divided by
 *       the pooled steady-state SD of the same formant. {@code CORRELATION}: the pooled 12×12 correlation matrix
 *       of the residuals, rounded to 3 decimals (still positive definite).</li>
 * </ol>
 * F0 and duration are not modelled (not among the 12 features).
 *
 * <p>Determinism: for a given seed and configuration the output is identical on every JVM and machine
 * ({@link java.util.Random}'s sequence is specified and {@link StrictMath} is used for exp).
 */
public final class SyntheticVowels {

    static final int NUM_FEATURES = 12;

    /** Talker log-SD of the vocal-tract-length scale factor, by group (MEN, WOMEN, BOYS, GIRLS). */
    static final double[] TALKER_LOG_SD = {0.0289, 0.0396, 0.0376, 0.0467};

    /** Tokens behind each mean: [group][vowel], vowel in {@link Vowel} order. */
    static final int[][] SOURCE_TOKENS = {
        {45, 45, 45, 45, 37, 43, 45, 43, 45, 45, 45, 44},
        {39, 40, 40, 48, 33, 41, 41, 35, 47, 48, 48, 39},
        {25, 24, 24, 27, 26, 25, 27, 20, 25, 27, 26, 25},
        {17, 19, 18, 19, 18, 17, 19, 18, 19, 19, 19, 19},
    };

    /** Mean formants (Hz): [group][vowel][F1ss F2ss F3ss F1@20 F2@20 F3@20 F1@50 F2@50 F3@50 F1@80 F2@80 F3@80]. */
    static final double[][][] MEAN_HZ = {
        { // MEN
            {591, 1930, 2595, 592, 1923, 2597, 613, 1863, 2566, 632, 1720, 2598}, // ae
            {756, 1309, 2535, 754, 1304, 2528, 757, 1326, 2523, 706, 1461, 2537}, // ah
            {656, 1023, 2521, 654, 1020, 2516, 670, 1046, 2509, 658, 1265, 2492}, // aw
            {588, 1803, 2604, 584, 1817, 2603, 592, 1774, 2602, 561, 1745, 2645}, // eh
            {476, 1375, 1714, 485, 1369, 1727, 462, 1397, 1704, 445, 1484, 1755}, // er
            {478, 2095, 2697, 478, 2095, 2699, 438, 2189, 2727, 400, 2239, 2742}, // ei
            {429, 2034, 2687, 434, 2032, 2683, 459, 1941, 2641, 466, 1841, 2662}, // ih
            {340, 2312, 3001, 344, 2302, 3010, 337, 2327, 2994, 340, 2309, 2949}, // iy
            {498, 910, 2459, 511, 936, 2455, 465, 866, 2479, 435, 898, 2448}, // oa
            {469, 1123, 2435, 468, 1122, 2440, 483, 1208, 2438, 483, 1490, 2445}, // oo
            {621, 1181, 2548, 622, 1181, 2548, 618, 1243, 2549, 574, 1493, 2550}, // uh
            {379, 991, 2355, 385, 1015, 2346, 375, 971, 2357, 368, 1028, 2336}, // uw
        },
        { // WOMEN
            {679, 2324, 2967, 681, 2323, 2952, 756, 2138, 2901, 809, 1917, 2896}, // ae
            {903, 1519, 2803, 913, 1517, 2806, 907, 1553, 2813, 842, 1724, 2842}, // ah
            {803, 1187, 2810, 802, 1175, 2811, 817, 1256, 2822, 812, 1566, 2827}, // aw
            {727, 2063, 2953, 728, 2089, 2956, 728, 2032, 2956, 672, 2038, 2994}, // eh
            {524, 1597, 1922, 535, 1589, 1935, 507, 1606, 1929, 492, 1701, 2005}, // er
            {536, 2517, 3051, 535, 2503, 3055, 482, 2592, 3050, 452, 2665, 3076}, // ei
            {484, 2376, 3050, 484, 2379, 3046, 523, 2266, 3008, 535, 2163, 3031}, // ih
            {438, 2750, 3384, 445, 2746, 3390, 435, 2751, 3378, 425, 2752, 3328}, // iy
            {558, 1040, 2820, 606, 1084, 2810, 526, 1006, 2844, 472, 1001, 2801}, // oa
            {519, 1229, 2829, 517, 1225, 2826, 562, 1383, 2822, 567, 1753, 2820}, // oo
            {760, 1416, 2901, 762, 1402, 2893, 752, 1510, 2913, 663, 1831, 2926}, // uh
            {452, 1114, 2739, 458, 1143, 2731, 449, 1102, 2756, 441, 1122, 2756}, // uw
        },
        { // BOYS
            {712, 2465, 3206, 709, 2456, 3212, 760, 2315, 3125, 843, 2093, 3059}, // ae
            {960, 1657, 2900, 969, 1661, 2904, 969, 1673, 2885, 888, 1877, 2935}, // ah
            {807, 1266, 2875, 808, 1266, 2857, 817, 1315, 2880, 814, 1665, 2880}, // aw
            {727, 2225, 3228, 718, 2234, 3222, 739, 2206, 3221, 688, 2228, 3285}, // eh
            {570, 1706, 2078, 575, 1689, 2112, 566, 1712, 2065, 533, 1782, 2113}, // er
            {561, 2599, 3284, 559, 2608, 3279, 515, 2711, 3279, 489, 2795, 3358}, // ei
            {518, 2498, 3335, 512, 2498, 3312, 542, 2420, 3304, 557, 2360, 3329}, // ih
            {445, 3006, 3619, 443, 2993, 3595, 450, 3023, 3583, 450, 3000, 3539}, // iy
            {601, 1136, 2948, 629, 1156, 2931, 579, 1080, 2952, 524, 1083, 2978}, // oa
            {567, 1451, 2998, 565, 1453, 2996, 593, 1580, 2999, 598, 1894, 3019}, // oo
            {717, 1483, 3052, 721, 1493, 3044, 715, 1597, 3023, 661, 1898, 3079}, // uh
            {493, 1333, 2942, 494, 1376, 2948, 491, 1311, 2932, 490, 1330, 2938}, // uw
        },
        { // GIRLS
            {746, 2528, 3411, 750, 2527, 3405, 842, 2370, 3254, 881, 2126, 3174}, // ae
            {1039, 1740, 3015, 1038, 1722, 3048, 1043, 1772, 3022, 938, 1934, 3083}, // ah
            {887, 1378, 3058, 891, 1352, 3067, 899, 1420, 3052, 866, 1759, 3042}, // aw
            {758, 2355, 3395, 749, 2349, 3413, 755, 2339, 3374, 712, 2360, 3424}, // eh
            {618, 1745, 2264, 613, 1742, 2278, 600, 1773, 2222, 562, 1867, 2293}, // er
            {569, 2666, 3369, 570, 2664, 3376, 507, 2768, 3369, 483, 2814, 3367}, // ei
            {506, 2640, 3513, 505, 2630, 3503, 556, 2556, 3477, 569, 2487, 3491}, // ih
            {464, 3150, 3808, 455, 3141, 3829, 460, 3148, 3797, 460, 3139, 3819}, // iy
            {589, 1145, 3106, 628, 1198, 3120, 573, 1113, 3121, 520, 1146, 3102}, // oa
            {575, 1583, 3187, 575, 1570, 3200, 600, 1687, 3162, 596, 2039, 3208}, // oo
            {772, 1614, 3210, 775, 1610, 3221, 759, 1723, 3211, 691, 2058, 3250}, // uh
            {492, 1510, 3052, 496, 1518, 3059, 483, 1471, 3047, 481, 1486, 3035}, // uw
        },
    };

    /** Per-token SD of ln F1, ln F2, ln F3 at steady state after removing the talker factor: [group][vowel][3]. */
    static final double[][][] TOKEN_LOG_SD = {
        { // MEN
            {0.0716, 0.0503, 0.0398}, {0.0719, 0.0859, 0.0578}, {0.0403, 0.0634, 0.0640}, {0.0532, 0.0536, 0.0361},
            {0.0493, 0.0586, 0.0573}, {0.0746, 0.0580, 0.0415}, {0.0661, 0.0494, 0.0334}, {0.0680, 0.0482, 0.0667},
            {0.0769, 0.1016, 0.0544}, {0.0584, 0.0867, 0.0454}, {0.0421, 0.0750, 0.0498}, {0.0792, 0.1119, 0.0473},
        },
        { // WOMEN
            {0.1008, 0.0605, 0.0502}, {0.0868, 0.0723, 0.0597}, {0.0758, 0.0797, 0.0629}, {0.0897, 0.0638, 0.0465},
            {0.0865, 0.0587, 0.0615}, {0.1070, 0.0554, 0.0469}, {0.0671, 0.0508, 0.0382}, {0.0888, 0.0434, 0.0603},
            {0.1361, 0.1010, 0.0540}, {0.0710, 0.1018, 0.0503}, {0.0638, 0.0695, 0.0471}, {0.0802, 0.1755, 0.0443},
        },
        { // BOYS
            {0.1115, 0.0512, 0.0496}, {0.1068, 0.0737, 0.0754}, {0.0925, 0.1112, 0.0674}, {0.1097, 0.0665, 0.0495},
            {0.0803, 0.0592, 0.0617}, {0.0979, 0.0518, 0.0466}, {0.0579, 0.0653, 0.0502}, {0.1277, 0.0580, 0.0778},
            {0.0797, 0.0919, 0.0532}, {0.0750, 0.1093, 0.0573}, {0.0712, 0.0623, 0.0552}, {0.0791, 0.1915, 0.0668},
        },
        { // GIRLS
            {0.1304, 0.0496, 0.0587}, {0.1109, 0.0826, 0.0634}, {0.0862, 0.0734, 0.0805}, {0.1171, 0.0528, 0.0453},
            {0.0722, 0.0635, 0.0730}, {0.1000, 0.0487, 0.0700}, {0.0647, 0.0560, 0.0426}, {0.0657, 0.0411, 0.0686},
            {0.1173, 0.1606, 0.0527}, {0.0831, 0.0845, 0.0429}, {0.1090, 0.0576, 0.0350}, {0.0919, 0.2337, 0.0583},
        },
    };

    /** SD of each of the 12 log features relative to the steady-state SD of the same formant: [group][12]. */
    static final double[][] TIME_SD_SCALE = {
        {1.000, 1.000, 1.000, 0.922, 0.973, 0.987, 0.937, 0.944, 0.989, 0.991, 0.980, 0.945}, // MEN
        {1.000, 1.000, 1.000, 0.886, 0.963, 1.001, 0.860, 0.920, 0.972, 0.945, 0.792, 0.959}, // WOMEN
        {1.000, 1.000, 1.000, 0.980, 1.003, 1.004, 0.966, 1.010, 1.001, 0.961, 0.900, 1.039}, // BOYS
        {1.000, 1.000, 1.000, 1.015, 0.978, 0.982, 0.901, 0.942, 1.047, 0.866, 0.899, 1.108}, // GIRLS
    };

    /** Correlation of the 12 log-feature token residuals, pooled over vowels: [group][12][12]. */
    static final double[][][] CORRELATION = {
        { // MEN
            {1.000, 0.030, -0.077, 0.834, -0.004, -0.074, 0.717, 0.018, -0.053, 0.489, 0.002, -0.035},
            {0.030, 1.000, -0.016, 0.020, 0.921, -0.011, -0.061, 0.855, -0.061, -0.073, 0.498, -0.035},
            {-0.077, -0.016, 1.000, -0.070, -0.005, 0.965, -0.131, 0.017, 0.922, -0.119, -0.001, 0.745},
            {0.834, 0.020, -0.070, 1.000, 0.025, -0.077, 0.703, 0.033, -0.054, 0.498, 0.030, -0.034},
            {-0.004, 0.921, -0.005, 0.025, 1.000, 0.002, -0.074, 0.861, -0.060, -0.079, 0.530, -0.045},
            {-0.074, -0.011, 0.965, -0.077, 0.002, 1.000, -0.123, 0.025, 0.918, -0.127, 0.027, 0.743},
            {0.717, -0.061, -0.131, 0.703, -0.074, -0.123, 1.000, -0.058, -0.108, 0.646, 0.006, -0.092},
            {0.018, 0.855, 0.017, 0.033, 0.861, 0.025, -0.058, 1.000, -0.023, -0.080, 0.641, 0.005},
            {-0.053, -0.061, 0.922, -0.054, -0.060, 0.918, -0.108, -0.023, 1.000, -0.117, -0.010, 0.838},
            {0.489, -0.073, -0.119, 0.498, -0.079, -0.127, 0.646, -0.080, -0.117, 1.000, -0.051, -0.128},
            {0.002, 0.498, -0.001, 0.030, 0.530, 0.027, 0.006, 0.641, -0.010, -0.051, 1.000, 0.021},
            {-0.035, -0.035, 0.745, -0.034, -0.045, 0.743, -0.092, 0.005, 0.838, -0.128, 0.021, 1.000},
        },
        { // WOMEN
            {1.000, 0.011, -0.240, 0.818, -0.067, -0.218, 0.696, -0.010, -0.235, 0.251, -0.003, -0.207},
            {0.011, 1.000, -0.002, -0.040, 0.890, 0.006, -0.089, 0.810, 0.001, -0.080, 0.535, 0.046},
            {-0.240, -0.002, 1.000, -0.201, -0.021, 0.917, -0.202, 0.003, 0.901, -0.103, 0.038, 0.752},
            {0.818, -0.040, -0.201, 1.000, -0.051, -0.223, 0.658, -0.031, -0.207, 0.210, 0.027, -0.171},
            {-0.067, 0.890, -0.021, -0.051, 1.000, -0.003, -0.130, 0.794, -0.020, -0.077, 0.518, 0.021},
            {-0.218, 0.006, 0.917, -0.223, -0.003, 1.000, -0.194, 0.010, 0.852, -0.084, 0.045, 0.709},
            {0.696, -0.089, -0.202, 0.658, -0.130, -0.194, 1.000, -0.112, -0.242, 0.553, -0.072, -0.192},
            {-0.010, 0.810, 0.003, -0.031, 0.794, 0.010, -0.112, 1.000, 0.021, -0.149, 0.703, 0.071},
            {-0.235, 0.001, 0.901, -0.207, -0.020, 0.852, -0.242, 0.021, 1.000, -0.122, 0.055, 0.842},
            {0.251, -0.080, -0.103, 0.210, -0.077, -0.084, 0.553, -0.149, -0.122, 1.000, -0.185, -0.162},
            {-0.003, 0.535, 0.038, 0.027, 0.518, 0.045, -0.072, 0.703, 0.055, -0.185, 1.000, 0.137},
            {-0.207, 0.046, 0.752, -0.171, 0.021, 0.709, -0.192, 0.071, 0.842, -0.162, 0.137, 1.000},
        },
        { // BOYS
            {1.000, -0.011, -0.145, 0.894, -0.025, -0.116, 0.745, -0.031, -0.130, 0.384, -0.026, -0.020},
            {-0.011, 1.000, 0.022, -0.026, 0.950, 0.006, -0.087, 0.864, 0.055, -0.139, 0.612, 0.054},
            {-0.145, 0.022, 1.000, -0.162, 0.001, 0.950, -0.094, 0.022, 0.923, -0.091, 0.102, 0.646},
            {0.894, -0.026, -0.162, 1.000, -0.027, -0.133, 0.713, -0.022, -0.151, 0.330, -0.002, -0.015},
            {-0.025, 0.950, 0.001, -0.027, 1.000, 0.000, -0.102, 0.857, 0.046, -0.128, 0.614, 0.031},
            {-0.116, 0.006, 0.950, -0.133, 0.000, 1.000, -0.079, 0.015, 0.909, -0.085, 0.102, 0.633},
            {0.745, -0.087, -0.094, 0.713, -0.102, -0.079, 1.000, -0.101, -0.094, 0.633, -0.046, -0.030},
            {-0.031, 0.864, 0.022, -0.022, 0.857, 0.015, -0.101, 1.000, 0.086, -0.147, 0.744, 0.078},
            {-0.130, 0.055, 0.923, -0.151, 0.046, 0.909, -0.094, 0.086, 1.000, -0.115, 0.153, 0.701},
            {0.384, -0.139, -0.091, 0.330, -0.128, -0.085, 0.633, -0.147, -0.115, 1.000, -0.143, -0.137},
            {-0.026, 0.612, 0.102, -0.002, 0.614, 0.102, -0.046, 0.744, 0.153, -0.143, 1.000, 0.154},
            {-0.020, 0.054, 0.646, -0.015, 0.031, 0.633, -0.030, 0.078, 0.701, -0.137, 0.154, 1.000},
        },
        { // GIRLS
            {1.000, 0.006, -0.009, 0.875, 0.001, -0.034, 0.626, 0.046, -0.031, 0.325, 0.044, -0.018},
            {0.006, 1.000, 0.046, -0.043, 0.944, 0.040, -0.051, 0.880, 0.047, -0.048, 0.663, 0.020},
            {-0.009, 0.046, 1.000, 0.024, 0.056, 0.942, -0.051, 0.049, 0.910, -0.099, 0.073, 0.705},
            {0.875, -0.043, 0.024, 1.000, -0.007, -0.027, 0.608, 0.014, 0.009, 0.313, 0.019, 0.036},
            {0.001, 0.944, 0.056, -0.007, 1.000, 0.058, -0.048, 0.859, 0.061, -0.059, 0.657, 0.028},
            {-0.034, 0.040, 0.942, -0.027, 0.058, 1.000, -0.077, 0.036, 0.887, -0.113, 0.068, 0.688},
            {0.626, -0.051, -0.051, 0.608, -0.048, -0.077, 1.000, -0.027, -0.109, 0.604, 0.014, 0.012},
            {0.046, 0.880, 0.049, 0.014, 0.859, 0.036, -0.027, 1.000, 0.079, -0.058, 0.792, 0.075},
            {-0.031, 0.047, 0.910, 0.009, 0.061, 0.887, -0.109, 0.079, 1.000, -0.162, 0.125, 0.784},
            {0.325, -0.048, -0.099, 0.313, -0.059, -0.113, 0.604, -0.058, -0.162, 1.000, -0.112, -0.146},
            {0.044, 0.663, 0.073, 0.019, 0.657, 0.068, 0.014, 0.792, 0.125, -0.112, 1.000, 0.187},
            {-0.018, 0.020, 0.705, 0.036, 0.028, 0.688, 0.012, 0.075, 0.784, -0.146, 0.187, 1.000},
        },
    };

    /**
     * The model's parameters, indexed like the constants above ([group] by {@link TalkerGroup} ordinal, [vowel] by
     * {@link Vowel} ordinal). Package-private so the validation can fit them on a subset of talkers and test on
     * the others; the public API always uses {@link #EMBEDDED}.
     */
    record Stats(double[] talkerLogSd, double[][][] meanHz, double[][][] tokenLogSd, double[][] timeSdScale,
                 double[][][] correlation, double[][][] cholesky) {
        Stats(double[] talkerLogSd, double[][][] meanHz, double[][][] tokenLogSd, double[][] timeSdScale,
              double[][][] correlation) {
            this(talkerLogSd, meanHz, tokenLogSd, timeSdScale, correlation, choleskyAll(correlation));
        }

        private static double[][][] choleskyAll(double[][][] corr) {
            double[][][] out = new double[corr.length][][];
            for (int g = 0; g < corr.length; g++) {
                out[g] = corr[g] == null ? null : SyntheticVowels.cholesky(corr[g]);
            }
            return out;
        }
    }

    /** The embedded statistics. */
    static final Stats EMBEDDED = new Stats(TALKER_LOG_SD, MEAN_HZ, TOKEN_LOG_SD, TIME_SD_SCALE, CORRELATION);

    private SyntheticVowels() {
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Embedded mean formants (Hz, 12 features) for a group and vowel; a copy. */
    public static double[] meanHz(TalkerGroup group, Vowel vowel) {
        return MEAN_HZ[group.ordinal()][vowel.ordinal()].clone();
    }

    /** Embedded per-token log-SD of F1, F2, F3 at steady state for a group and vowel; a copy. */
    public static double[] tokenLogSd(TalkerGroup group, Vowel vowel) {
        return TOKEN_LOG_SD[group.ordinal()][vowel.ordinal()].clone();
    }

    /** Embedded SD of the talker's log scale factor for a group. */
    public static double talkerLogSd(TalkerGroup group) {
        return TALKER_LOG_SD[group.ordinal()];
    }

    /** Embedded 12×12 correlation of log-feature token residuals for a group; a copy. */
    public static double[][] correlation(TalkerGroup group) {
        double[][] c = CORRELATION[group.ordinal()];
        double[][] out = new double[c.length][];
        for (int i = 0; i < c.length; i++) {
            out[i] = c[i].clone();
        }
        return out;
    }

    /**
     * Generated tokens plus the talker of each row.
     *
     * @param dataset  the tokens (Hz), rows ordered by group, talker, vowel, token
     * @param talkerIds talker of each row: group letter and 1-based number, e.g. {@code w007}
     */
    public record Generated(Dataset dataset, List<String> talkerIds) {
        public Generated {
            talkerIds = List.copyOf(talkerIds);
        }
    }

    /** Configures a generation run; defaults: all four groups, all 12 vowels, seed 0, 50 talkers, 1 token each. */
    public static final class Builder {
        private Set<TalkerGroup> groups = EnumSet.allOf(TalkerGroup.class);
        private List<Vowel> vowels = List.of(Vowel.values());
        private long seed;
        private int talkers = 50;
        private int tokensPerTalker = 1;
        private boolean talkerVariation = true;
        private Stats stats = EMBEDDED;

        private Builder() {
        }

        /** Talker groups to generate (each gets {@link #talkers(int)} talkers). */
        public Builder groups(TalkerGroup... groups) {
            return groups(List.of(groups));
        }

        public Builder groups(Collection<TalkerGroup> groups) {
            if (groups.isEmpty()) {
                throw new IllegalArgumentException("at least one talker group is needed");
            }
            this.groups = EnumSet.copyOf(groups);
            return this;
        }

        /** Vowels, in label order. */
        public Builder vowels(Vowel... vowels) {
            return vowels(List.of(vowels));
        }

        public Builder vowels(List<Vowel> vowels) {
            if (vowels.isEmpty() || Set.copyOf(vowels).size() != vowels.size()) {
                throw new IllegalArgumentException("vowels must be non-empty and distinct: " + vowels);
            }
            this.vowels = List.copyOf(vowels);
            return this;
        }

        /** Vowels by Hillenbrand code, in label order, e.g. {@code "ae", "ah", "aw", "uw", "er", "iy", "ih"}. */
        public Builder vowelCodes(String... codes) {
            List<Vowel> v = new ArrayList<>();
            for (String c : codes) {
                v.add(Vowel.fromCode(c));
            }
            return vowels(v);
        }

        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** Talkers per group. */
        public Builder talkers(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("talkers must be at least 1, got " + n);
            }
            this.talkers = n;
            return this;
        }

        /** Tokens of each vowel per talker (Hillenbrand recorded one). */
        public Builder tokensPerTalker(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("tokens per talker must be at least 1, got " + n);
            }
            this.tokensPerTalker = n;
            return this;
        }

        /** Whether talkers differ by a vocal-tract scale factor (default true; false for ablations and tests). */
        public Builder talkerVariation(boolean on) {
            this.talkerVariation = on;
            return this;
        }

        /** Replaces the embedded statistics (validation only). */
        Builder stats(Stats stats) {
            this.stats = stats;
            return this;
        }

        /** Generates the dataset. */
        public Dataset build() {
            return generate().dataset();
        }

        /** Generates the dataset with the talker of each row. */
        public Generated generate() {
            int n = groups.size() * talkers * vowels.size() * tokensPerTalker;
            double[][] x = new double[n][];
            int[] y = new int[n];
            List<String> ids = new ArrayList<>(n);
            int row = 0;
            double[] normal = new double[NUM_FEATURES];
            for (TalkerGroup g : groups) {
                int gi = g.ordinal();
                double[][] chol = stats.cholesky()[gi];
                double sdTalker = stats.talkerLogSd()[gi];
                double talkerVar = talkerVariation ? sdTalker * sdTalker : 0;
                for (int t = 0; t < talkers; t++) {
                    // One stream per talker: a talker's tokens do not depend on how many talkers precede it.
                    Random rng = new Random(mix(seed, gi, t));
                    double a = talkerVariation ? sdTalker * rng.nextGaussian() : 0;
                    String id = String.format("%c%03d", g.prefix(), t + 1);
                    for (int vi = 0; vi < vowels.size(); vi++) {
                        Vowel v = vowels.get(vi);
                        double[] mean = stats.meanHz()[gi][v.ordinal()];
                        double[] sdSs = stats.tokenLogSd()[gi][v.ordinal()];
                        for (int k = 0; k < tokensPerTalker; k++) {
                            double[] f = new double[NUM_FEATURES];
                            // Formants are numbered by frequency, so F1 < F2 < F3 always holds in real data;
                            // redraw the rare token (close F2/F3 of /iy/, F1/F2 of /aw/) that violates it.
                            for (int attempt = 0; attempt < MAX_DRAWS; attempt++) {
                                for (int j = 0; j < NUM_FEATURES; j++) {
                                    normal[j] = rng.nextGaussian();
                                }
                                for (int j = 0; j < NUM_FEATURES; j++) {
                                    double z = 0;
                                    for (int m = 0; m <= j; m++) {
                                        z += chol[j][m] * normal[m];
                                    }
                                    double s = sdSs[j % 3] * stats.timeSdScale()[gi][j];
                                    f[j] = mean[j] * StrictMath.exp(a + s * z - 0.5 * (talkerVar + s * s));
                                }
                                if (ordered(f)) {
                                    break;
                                }
                            }
                            x[row] = f;
                            y[row] = vi;
                            ids.add(id);
                            row++;
                        }
                    }
                }
            }
            Dataset ds = new Dataset(x, y, Vowel.codes(vowels), HillenbrandReader.FEATURE_NAMES);
            return new Generated(ds, ids);
        }
    }

    private static final int MAX_DRAWS = 100;

    /** F1 &lt; F2 &lt; F3 at each of the four time points. */
    private static boolean ordered(double[] f) {
        for (int t = 0; t < NUM_FEATURES; t += 3) {
            if (!(f[t] < f[t + 1] && f[t + 1] < f[t + 2])) {
                return false;
            }
        }
        return true;
    }

    /** SplitMix64 finalizer over (seed, group, talker): decorrelated per-talker seeds. */
    private static long mix(long seed, int group, int talker) {
        long z = seed + 0x9E3779B97F4A7C15L * (1 + group * 1_000_003L + talker);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Lower Cholesky factor L (L Lᵀ = a) of a symmetric positive definite matrix; also the validation's. */
    static double[][] cholesky(double[][] a) {
        int n = a.length;
        CholeskyDecomposition_F64<DMatrixRMaj> chol = DecompositionFactory_DDRM.chol(n, true);
        if (!chol.decompose(new DMatrixRMaj(a))) {
            throw new IllegalStateException("correlation matrix is not positive definite");
        }
        DMatrixRMaj t = chol.getT(null);
        double[][] l = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                l[i][j] = t.get(i, j);
            }
        }
        return l;
    }
}
