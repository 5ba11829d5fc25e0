/**
 * The digital side of PNN Edge: small nets, digital twins, the PNN and its training, datasets, the audio front end
 * and the signed bundle format, one subpackage each (architecture.md, "models"). This package itself holds only
 * {@link org.pnnedge.models.CodeVersion}, the build's version for provenance.
 *
 * <p><b>May import</b> no other models package (every one may import it).
 */
package org.pnnedge.models;
