/**
 * Signed model bundles: one versioned file carrying a trained model's manifest, hashed and signed with
 * Ed25519 so a device only runs parameters from a trusted source. Format: {@code src/site/markdown/bundle.md}.
 *
 * <p>Entry points: {@link org.pnnedge.models.bundle.Bundles} (sign, load, inspect),
 * {@link org.pnnedge.models.bundle.KeyFiles} (keys), {@link org.pnnedge.models.bundle.TrustedKeys},
 * {@link org.pnnedge.models.bundle.BundleException} (every rejection, typed).
 *
 * <p><b>May import</b> no other models package: the network and twin sections are opaque JSON here, their schema
 * belongs to {@code pnn} and {@code twin}.
 */
package org.pnnedge.models.bundle;
